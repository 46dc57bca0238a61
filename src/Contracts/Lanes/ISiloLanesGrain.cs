namespace EvalCluster.Contracts.Lanes;

/// <summary>
/// Keyed by a silo name and placed on that silo: answers which lanes the silo hosts and the weights each serves. The coordinator asks each
/// active silo (from the management grain) to discover the cluster's lanes.
/// </summary>
public interface ISiloLanesGrain : IGrainWithStringKey
{
    Task<ImmutableArray<LaneInfo>> GetLanesAsync();
}

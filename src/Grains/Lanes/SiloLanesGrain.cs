using EvalCluster.Contracts.Lanes;
using EvalCluster.Grains.Placement;

namespace EvalCluster.Grains.Lanes;

/// <summary>Answers which lanes its silo hosts and the weights each serves (key: the silo name; placed on that silo).</summary>
[LanePlacement]
internal sealed class SiloLanesGrain(LaneCatalog lanes) : Grain, ISiloLanesGrain
{
    public Task<ImmutableArray<LaneInfo>> GetLanesAsync() => lanes.IdentifiedLanesAsync();
}

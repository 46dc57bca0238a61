using EvalCluster.Contracts.Lanes;
using EvalCluster.Grains.Placement;

namespace EvalCluster.Grains.Lanes;

/// <summary>Answers which lanes its silo hosts (key: the silo name; placed on that silo).</summary>
[LanePlacement]
internal sealed class SiloLanesGrain(LaneCatalog lanes) : Grain, ISiloLanesGrain
{
    public Task<ImmutableArray<LaneInfo>> GetLanesAsync() => Task.FromResult(lanes.Lanes);
}

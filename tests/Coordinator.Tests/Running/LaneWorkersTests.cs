using System.Collections.Immutable;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Coordinator.Running;

namespace EvalCluster.Coordinator.Tests.Running;

/// <summary>How many generations a run keeps in flight on a lane: --max-in-flight when set, else the lane's batch size.</summary>
public sealed class LaneWorkersTests
{
    private static LaneInfo Lane(int maxBatch) =>
        new("silo/lane0", "silo", "cuda:0", ImmutableDictionary<string, string>.Empty) { MaxBatch = maxBatch };

    [Theory]
    [InlineData(0, 1024, 1024)] // default: fill the lane's step (a GPU lane's 1,024, not a fixed 32)
    [InlineData(0, 256, 256)]
    [InlineData(8, 1024, 8)] // --max-in-flight 8 wins
    [InlineData(0, 0, 32)] // a silo that does not report its batch size
    public void Workers_per_lane_follow_the_setting_else_the_lanes_batch_size(int setting, int laneBatch, int expected)
    {
        var dispatcher = new LaneDispatcher(null!, "run", setting, new DispatchOptions(), null!);
        Assert.Equal(expected, dispatcher.WorkersFor(Lane(laneBatch)));
    }
}

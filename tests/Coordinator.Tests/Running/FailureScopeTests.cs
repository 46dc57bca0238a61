using EvalCluster.Coordinator.Running;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace EvalCluster.Coordinator.Tests.Running;

/// <summary>
/// Whose failure a failed call is. The messages are the ones Orleans 10.4.2 wrote in the fleet test when one of three
/// silos was killed: every lane's calls failed naming the dead silo, or naming none ("Silo unavailable"), and every
/// lane was dropped for it.
/// </summary>
public sealed class FailureScopeTests
{
    private const string Dead = "S127.0.0.1:37681:155186039";
    private const string Live = "S127.0.0.1:37415:155186028";

    // OrleansMessageRejectionException's constructors are internal; the same text in the same lane-loss family.
    private static Exception Rejection(string silo) => new SiloUnavailableException(
        $"Exception while sending message: Orleans.Runtime.Messaging.ConnectionFailedException: Unable to connect to {silo}, will retry after 570.9521ms");

    [Fact]
    public void A_call_that_fails_naming_the_lanes_own_silo_loses_the_lane() =>
        Assert.Equal(FailureScope.Lane, LaneDispatcher.Classify(Rejection(Dead), Dead));

    [Fact]
    public void A_call_whose_connection_to_the_lanes_own_gateway_fails_loses_the_lane()
    {
        // The client names a gateway by its endpoint with generation 0 (measured: "Unable to connect to S127.0.0.1:25375:0").
        var gateway = new ConnectionFailedException("Unable to connect to S127.0.0.1:25375:0, will retry after 999.4296ms");
        Assert.Equal(FailureScope.Lane, LaneDispatcher.Classify(gateway, Live, "S127.0.0.1:25375:0"));
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(gateway, Live, "S127.0.0.1:25376:0"));
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(gateway, Live));
    }

    [Fact]
    public void A_call_that_fails_naming_only_another_silo_is_retried_on_the_same_lane() =>
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(Rejection(Dead), Live));

    [Fact]
    public void An_inner_exception_or_an_aggregate_is_searched_too()
    {
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(new ConnectionFailedException("call failed", Rejection(Dead)), Live));
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(new AggregateException(Rejection(Dead), Rejection(Dead)), Live));
        Assert.Equal(FailureScope.Lane, LaneDispatcher.Classify(new AggregateException(Rejection(Dead), Rejection(Live)), Live));
    }

    [Fact]
    public void A_lane_loss_that_names_no_silo_or_a_timeout_is_retried_on_the_lane()
    {
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(new SiloUnavailableException("Silo unavailable"), Live));
        // A silo membership no longer lists (the dead one, already declared dead), or a gateway endpoint.
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(Rejection("S127.0.0.1:1:1"), Live));
        // A gateway that stopped answering times the call out as much as the lane's own silo would.
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(new TimeoutException("Response did not arrive on time in 00:00:30"), Live));
        // Quoting the lane's silo as a message's target is not its death (a dying gateway rejects what it was sending).
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(new TimeoutException($"Response did not arrive on time for Request [S127.0.0.1:1:1 -> {Live}]"), Live));
        Assert.Equal(FailureScope.Retry, LaneDispatcher.Classify(new SiloUnavailableException($"The target silo became unavailable for message: Request [S127.0.0.1:1:1 -> {Live} generation/x]"), Live));
    }

    [Fact]
    public void An_error_the_lane_answered_with_is_the_keys()
    {
        Assert.Equal(FailureScope.Key, LaneDispatcher.Classify(new ArgumentException($"prompt too long (it mentions {Dead})"), Live));
        Assert.Equal(FailureScope.Key, LaneDispatcher.Classify(new InvalidOperationException("model failed"), Live));
    }
}

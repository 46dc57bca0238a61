using EvalCluster.Inference.Gates;

namespace EvalCluster.Inference.Tests.Gates;

public sealed class GuidedGateTests
{
    private static bool Step(GuidedGate gate, int t, double score)
    {
        Assert.Equal(GatePlan.Score, gate.Plan(new BaseFeatures(t, 1, 0.5)));
        var takeover = gate.Decide(t, score);
        gate.Observe(t, score);
        return takeover;
    }

    [Fact]
    public void At_the_first_position_only_the_global_threshold_applies()
    {
        Assert.True(Step(new GuidedGate(tau: 1, lambda: 100, window: 4), 0, 1.5));
        Assert.False(Step(new GuidedGate(tau: 2, lambda: 0, window: 4), 0, 1.5));
    }

    [Fact]
    public void Before_w_scores_exist_the_local_mean_covers_those_that_do()
    {
        var gate = new GuidedGate(tau: 0, lambda: 2, window: 4);
        Step(gate, 0, 1);
        Step(gate, 1, 3);
        // mean(1, 3) = 2, so the local threshold is 4.
        Assert.False(gate.Decide(2, 4));
        Assert.True(gate.Decide(2, 4.01));
    }

    [Fact]
    public void The_window_slides_over_the_last_w_scores()
    {
        var gate = new GuidedGate(tau: 0, lambda: 1, window: 2);
        Step(gate, 0, 100);
        Step(gate, 1, 1);
        Step(gate, 2, 3);
        // Window holds (1, 3): mean 2; the 100 has slid out.
        Assert.True(gate.Decide(3, 2.5));
        Assert.False(gate.Decide(3, 2));
    }

    [Fact]
    public void Both_conditions_must_hold()
    {
        var gate = new GuidedGate(tau: 5, lambda: 1, window: 3);
        Step(gate, 0, 1);
        Assert.False(gate.Decide(1, 4)); // local holds, global does not
        Step(gate, 1, 10);
        Assert.False(gate.Decide(2, 5.4)); // global holds, local mean 5.5 does not
        Assert.True(gate.Decide(2, 6));
    }

    [Fact]
    public void The_pre_filter_skips_the_guide_at_confident_steps_and_their_nan_is_left_out_of_the_mean()
    {
        var gate = new GuidedGate(tau: 0, lambda: 1, window: 4, prefilterEntropy: 0.5);
        Assert.Equal(GatePlan.Base, gate.Plan(new BaseFeatures(0, 0.2, 0.9)));
        gate.Observe(0, double.NaN);
        Assert.Equal(GatePlan.Score, gate.Plan(new BaseFeatures(1, 0.8, 0.4)));
        Assert.True(gate.Decide(1, 0.1)); // no known score yet: global condition only
        gate.Observe(1, 2);
        Assert.False(gate.Decide(2, 1.9));
        Assert.True(gate.Decide(2, 2.1));
    }

    [Fact]
    public void Lambda_zero_keeps_the_local_condition_finite_after_an_infinite_score()
    {
        var gate = new GuidedGate(tau: double.NegativeInfinity, lambda: 0, window: 2);
        Step(gate, 0, double.PositiveInfinity);
        Assert.True(gate.Decide(1, 0.3));
    }

    [Fact]
    public void A_window_below_one_is_rejected_with_the_field_to_fix()
    {
        var ex = Assert.Throws<InferenceException>(() => new GuidedGate(1, 1, 0));
        Assert.Contains("window", ex.Message);
    }
}

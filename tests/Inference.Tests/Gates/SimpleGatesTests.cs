using EvalCluster.Inference.Gates;

namespace EvalCluster.Inference.Tests.Gates;

public sealed class SimpleGatesTests
{
    [Fact]
    public void Entropy_gate_hands_over_exactly_above_its_threshold()
    {
        var gate = new EntropyGate(1.0);
        Assert.Equal(GatePlan.Guide, gate.Plan(new BaseFeatures(0, 1.01, 0.3)));
        Assert.Equal(GatePlan.Base, gate.Plan(new BaseFeatures(1, 1.0, 0.3)));
    }

    [Fact]
    public void Nudging_gate_hands_over_while_the_base_top1_probability_is_below_gamma()
    {
        var gate = new NudgingGate(0.4);
        Assert.Equal(GatePlan.Guide, gate.Plan(new BaseFeatures(0, 2, 0.39)));
        Assert.Equal(GatePlan.Base, gate.Plan(new BaseFeatures(1, 2, 0.4)));
    }

    [Fact]
    public void Early_gate_hands_over_the_first_k_positions()
    {
        var gate = new EarlyGate(3);
        var plans = Enumerable.Range(0, 6).Select(t => gate.Plan(new BaseFeatures(t, 1, 0.5))).ToArray();
        Assert.Equal([GatePlan.Guide, GatePlan.Guide, GatePlan.Guide, GatePlan.Base, GatePlan.Base, GatePlan.Base], plans);
    }

    [Fact]
    public void Random_gate_realises_rho_over_many_seeds_and_repeats_a_seed_exactly()
    {
        var total = 0;
        for (ulong seed = 0; seed < 100; seed++)
        {
            var gate = new RandomGate(0.1, seed);
            total += Enumerable.Range(0, 1000).Count(t => gate.Plan(new BaseFeatures(t, 1, 0.5)) == GatePlan.Guide);
        }
        Assert.InRange(total / 100_000.0, 0.095, 0.105);
        var a = new RandomGate(0.3, 42);
        var b = new RandomGate(0.3, 42);
        for (var t = 0; t < 200; t++)
        {
            Assert.Equal(a.Plan(new BaseFeatures(t, 1, 0.5)), b.Plan(new BaseFeatures(t, 1, 0.5)));
        }
    }

    [Fact]
    public void Base_and_guide_arms_declare_the_single_model_they_step()
    {
        Assert.Equal(ArmModels.Base, new BaseGate().Models);
        Assert.Equal(GatePlan.Base, new BaseGate().Plan(new BaseFeatures(0, 9, 0.01)));
        Assert.Equal(ArmModels.Guide, new GuideGate().Models);
        Assert.Equal(GatePlan.Guide, new GuideGate().Plan(new BaseFeatures(0, double.NaN, double.NaN)));
        Assert.Throws<InvalidOperationException>(() => new EntropyGate(1).Decide(0, 1));
    }
}

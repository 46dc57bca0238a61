using EvalCluster.Evaluation.Metrics;

namespace EvalCluster.Evaluation.Tests.Metrics;

public sealed class PairedTestTests
{
    [Theory]
    [InlineData(6, 1, 0.125)] // 2 x (C(7,0) + C(7,1)) / 2^7 = 16 / 128
    [InlineData(5, 0, 0.0625)] // 2 / 2^5
    [InlineData(3, 3, 1.0)] // capped at 1
    [InlineData(0, 0, 1.0)] // no discordant problem
    [InlineData(10, 2, 0.0385742)] // 2 x (1 + 12 + 66) / 4096
    public void Exact_mcnemar_matches_the_hand_computed_binomial_tail(int onlyA, int onlyB, double expected)
    {
        Assert.Equal(expected, PairedTest.McNemarExact(onlyA, onlyB), 6);
    }

    [Fact]
    public void A_greedy_comparison_uses_mcnemar_on_the_discordant_problems()
    {
        // 10 problems: A right only on 0-5, B right only on 6, both right on 7, both wrong on 8-9.
        double[] a = [1, 1, 1, 1, 1, 1, 0, 1, 0, 0];
        double[] b = [0, 0, 0, 0, 0, 0, 1, 1, 0, 0];
        var r = PairedTest.Compare(a, b, greedy: true);
        Assert.Equal((10, 0.5, PairedTest.McNemar), (r.Problems, r.Difference, r.Test));
        Assert.Equal(0.125, r.PValue, 12);
        Assert.True(r.Low > 0 && r.Low < 0.5 && r.High > 0.5 && r.High < 1, $"[{r.Low}, {r.High}]");
    }

    [Fact]
    public void A_sampled_comparison_uses_the_paired_bootstrap_and_tells_equal_from_clearly_different_arms()
    {
        var a = Enumerable.Range(0, 30).Select(i => 0.25 + (i % 3) * 0.25).ToArray();
        Assert.Equal(1.0, PairedTest.Compare(a, a, greedy: false).PValue);

        var better = a.Select(v => v + 0.25).ToArray();
        var r = PairedTest.Compare(better, a, greedy: false);
        Assert.Equal(PairedTest.Bootstrap, r.Test);
        Assert.Equal(0.25, r.Difference, 12);
        Assert.True(r.PValue < 0.01, $"p = {r.PValue}");
    }

    [Fact]
    public void Arm_families_are_the_text_before_the_at_sign_and_matched_arms_name_their_guided_arm()
    {
        Assert.Equal("guided", ArmFamilies.Family("guided@r=0.04"));
        Assert.Equal("base", ArmFamilies.Family("base"));
        string[] arms = ["base", "guided@r=0.02", "guided@r=0.04", "random@match(guided@r=0.04)", "early@0.1"];
        Assert.Equal("guided@r=0.04", ArmFamilies.MatchedGuided("random@match(guided@r=0.04)", arms));
        Assert.Null(ArmFamilies.MatchedGuided("early@0.1", arms));
        Assert.Equal("guided", ArmFamilies.MatchedGuided("random", ["base", "guided", "random"]));
        Assert.Null(ArmFamilies.MatchedGuided("random", arms)); // two guided arms: ambiguous
    }
}

using EvalCluster.Evaluation.Metrics;

namespace EvalCluster.Evaluation.Tests.Metrics;

public sealed class MetricTests
{
    [Theory]
    [InlineData(10, 3, 1, 0.3)]
    [InlineData(4, 1, 2, 0.5)] // 1 - C(3,2)/C(4,2) = 1 - 3/6
    [InlineData(5, 2, 3, 0.9)] // 1 - C(3,3)/C(5,3) = 1 - 1/10
    [InlineData(8, 0, 8, 0.0)]
    [InlineData(8, 1, 8, 1.0)]
    [InlineData(3, 2, 2, 1.0)] // n - c < k
    public void Pass_at_k_matches_the_hand_computed_unbiased_estimate(int n, int c, int k, double expected)
    {
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);
    }

    [Fact]
    public void Pass_at_k_rejects_k_above_n()
    {
        Assert.Throws<ArgumentException>(() => PassAtK.Estimate(2, 1, 3));
    }

    [Fact]
    public void The_wilson_interval_matches_hand_computed_values()
    {
        // 8 of 10: centre (0.8 + 1.92/10) / 1.384146 = 0.71670, half 0.19836 (z = 1.959964).
        var i = WilsonInterval.Compute(8, 10);
        Assert.Equal(0.8, i.Value, 12);
        Assert.Equal(0.4901625, i.Low, 6);
        Assert.Equal(0.9433178, i.High, 6);
    }

    [Fact]
    public void The_wilson_interval_stays_inside_zero_and_one_at_the_extremes()
    {
        var none = WilsonInterval.Compute(0, 30);
        var all = WilsonInterval.Compute(30, 30);
        Assert.Equal(0, none.Low);
        Assert.True(none.High is > 0.1 and < 0.12);
        Assert.Equal(1, all.High, 12);
        Assert.True(all.Low is > 0.88 and < 0.9);
    }

    [Fact]
    public void Maj_at_k_takes_the_most_frequent_answer()
    {
        VoteSample[] votes = [new("3", false), new("4", true), new("4", true), new("3", false), new("4", true)];
        Assert.True(MajorityVote.IsCorrect(votes, 5));
        Assert.False(MajorityVote.IsCorrect(votes, 1));
    }

    [Fact]
    public void A_maj_at_k_tie_goes_to_the_answer_that_appeared_first()
    {
        VoteSample[] wrongFirst = [new("3", false), new("4", true), new("4", true), new("3", false)];
        VoteSample[] rightFirst = [new("4", true), new("3", false), new("3", false), new("4", true)];
        Assert.False(MajorityVote.IsCorrect(wrongFirst, 4));
        Assert.True(MajorityVote.IsCorrect(rightFirst, 4));
    }

    [Fact]
    public void Samples_without_an_answer_do_not_vote()
    {
        VoteSample[] votes = [new(null, false), new(null, false), new("4", true)];
        Assert.True(MajorityVote.IsCorrect(votes, 3));
        Assert.False(MajorityVote.IsCorrect([new(null, false)], 1));
    }

    [Fact]
    public void Recovery_is_the_share_of_the_gap_closed_with_an_interval_around_it()
    {
        double[] baseline = [0, 0, 0, 0, 1, 1, 0, 0, 0, 0];
        double[] reference = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
        double[] arm = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];
        var r = Recovery.Compute(arm, baseline, reference);
        Assert.Equal(0.5, r.Value, 12); // (0.5 - 0.2) / (0.8 - 0.2)
        Assert.True(r.Low < 0.5 && r.High > 0.5 && r.Low >= 0 && r.High <= 1.0 + 1e-12);
        Assert.True(double.IsNaN(Recovery.Point(0.5, 0.3, 0.3)));
    }
}

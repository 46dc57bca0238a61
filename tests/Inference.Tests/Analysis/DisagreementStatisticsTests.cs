using EvalCluster.Inference.Analysis;

namespace EvalCluster.Inference.Tests.Analysis;

public sealed class DisagreementStatisticsTests
{
    [Fact]
    public void Shares_count_the_fewest_tokens_that_hold_each_part_of_the_total()
    {
        double[] scores = [1, 10, 3, 5, 1];
        // Total 20, largest first 10, 5, 3: 10 reaches 50%, 18 reaches 80% and 90%.
        Assert.Equal(0.2, DisagreementStatistics.ShareOfTokensHolding(scores, 0.5), 12);
        Assert.Equal(0.6, DisagreementStatistics.ShareOfTokensHolding(scores, 0.8), 12);
        Assert.Equal(0.6, DisagreementStatistics.ShareOfTokensHolding(scores, 0.9), 12);
        Assert.Equal(0.8, DisagreementStatistics.ShareOfTokensHolding(scores, 0.95), 12);
    }

    [Fact]
    public void Gini_equals_hand_computed_values()
    {
        Assert.Equal(0, DisagreementStatistics.Gini([2, 2, 2, 2]), 12);
        Assert.Equal(0.75, DisagreementStatistics.Gini([0, 1, 0, 0]), 12);
        // Mean absolute difference / (2 mean): 20 / 16 / (2 * 2.5) = 0.25.
        Assert.Equal(0.25, DisagreementStatistics.Gini([4, 1, 3, 2]), 12);
    }

    [Fact]
    public void Auroc_is_the_share_of_positive_negative_pairs_ranked_correctly_with_ties_counting_half()
    {
        Assert.Equal(4.0 / 6, DisagreementStatistics.Auroc([0.9, 0.8, 0.3, 0.2, 0.5], [true, false, true, false, false])!.Value, 12);
        Assert.Equal(0.5, DisagreementStatistics.Auroc([1, 1], [true, false])!.Value, 12);
        Assert.Equal(0, DisagreementStatistics.Auroc([0, 1], [true, false])!.Value, 12);
        Assert.Null(DisagreementStatistics.Auroc([1, 2], [true, true]));
    }

    [Fact]
    public void Top_sets_round_up_break_ties_by_index_and_compare_by_iou()
    {
        var values = Enumerable.Range(0, 150).Select(i => i == 7 ? 5.0 : 1.0).ToArray();
        Assert.Equal([7, 0], DisagreementStatistics.TopIndices(values, 0.01).Order().Reverse());
        Assert.Equal(0.5, DisagreementStatistics.IntersectionOverUnion(new HashSet<int> { 1, 2, 3 }, new HashSet<int> { 2, 3, 4 }), 12);
    }

    [Fact]
    public void Normalised_positions_fall_into_equal_bins()
    {
        var counts = DisagreementStatistics.PositionHistogram([(0, 10), (5, 10), (9, 10), (3, 4)], 10);
        Assert.Equal([1, 0, 0, 0, 0, 1, 0, 1, 0, 1], counts);
    }

    [Fact]
    public void Mean_of_top_k_takes_the_largest_scores()
    {
        Assert.Equal(4.5, DisagreementStatistics.MeanOfTop([1, 5, 4, 2], 2), 12);
        Assert.Equal(3, DisagreementStatistics.MeanOfTop([1, 5], 100), 12);
    }
}

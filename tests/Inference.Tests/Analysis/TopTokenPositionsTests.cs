using EvalCluster.Inference.Analysis;

namespace EvalCluster.Inference.Tests.Analysis;

public sealed class TopTokenPositionsTests
{
    [Fact]
    public void The_histogram_counts_the_global_top_one_percent_pooled_over_responses_not_one_token_per_response()
    {
        // 100 responses of 10 tokens (1000 tokens): the top 1% is 10 tokens. Response 0 holds the ten highest scores
        // at every position, so the global definition counts one token in each bin; one-per-response would count 100.
        var tokens = new List<(double Score, int Position, int Length)>();
        for (var r = 0; r < 100; r++)
        {
            for (var t = 0; t < 10; t++)
            {
                tokens.Add((r == 0 ? 100 + t : t == 3 ? 5 : 1, t, 10));
            }
        }
        var histogram = TopTokenPositions.Histogram(tokens);
        Assert.Equal(TopTokenPositions.Bins, histogram.Length);
        Assert.Equal(Enumerable.Repeat(1, 10), histogram);
        Assert.Contains("pooled over all analysed responses", TopTokenPositions.Definition);
    }
}

namespace EvalCluster.Inference.Analysis;

/// <summary>
/// The one definition of the "top-1% positions" histogram, used by analysis.json and (through it) by the run
/// report: the global top 1% of all tokens by disagreement score, pooled over every analysed response (not 1% of
/// each response), counted by normalised position t/T in <see cref="Bins"/> equal bins over [0, 1).
/// </summary>
public static class TopTokenPositions
{
    public const int Bins = 10;
    public const double Fraction = 0.01;

    public const string Definition =
        "the global top 1% of tokens by disagreement score, pooled over all analysed responses (not 1% per response), by normalised position t/T in 10 bins";

    /// <param name="tokens">Every scored token: its score, position t (from 0) and its response's length T.</param>
    public static int[] Histogram(IReadOnlyList<(double Score, int Position, int Length)> tokens)
    {
        var top = DisagreementStatistics.TopIndices([.. tokens.Select(t => t.Score)], Fraction);
        return DisagreementStatistics.PositionHistogram(top.Select(i => (tokens[i].Position, tokens[i].Length)), Bins);
    }
}

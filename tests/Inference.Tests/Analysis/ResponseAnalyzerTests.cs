using EvalCluster.Inference.Analysis;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Tests.Analysis;

public sealed class ResponseAnalyzerTests
{
    /// <summary>
    /// Two 100-token responses scoring 1 everywhere, except token 10 of the first (a wrong answer), which scores
    /// 101 and reads " wait". Entropy equals the score, so the top sets coincide.
    /// </summary>
    private static readonly AnalyzedResponse[] Responses = [Response(spike: true, correct: false), Response(spike: false, correct: true)];

    [Fact]
    public void Statistics_of_constructed_traces_equal_hand_computed_values()
    {
        var report = ResponseAnalyzer.Analyze(Responses, DivergenceKind.CrossEntropy, PlanningLexicon.Default);
        Assert.Equal(200, report.Tokens);
        // Total 300; 101 + 49 ones reach 150, i.e. 50 of 200 tokens.
        Assert.Equal(0.25, report.ShareOfTokensHolding["50"], 12);
        // Sorted ascending: sum i x_i = (1 + ... + 199) + 200 * 101 = 40100; G = 2 * 40100 / (200 * 300) - 201 / 200.
        Assert.Equal(2 * 40100.0 / 60000 - 201.0 / 200, report.Gini, 12);
        // Top 1% = 2 tokens: the spike (t/T = 0.1) and, by index, the first token of the first response (t/T = 0).
        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], report.Top1PercentPositionHistogram);
        Assert.Equal(1.0 / 200, report.Planning.BaseRate, 12);
        Assert.Equal(100, report.Planning.Top1PercentEnrichment!.Value, 9);
        Assert.Equal(20, report.Planning.Top5PercentEnrichment!.Value, 9);
        Assert.Equal(1, report.EntropyOverlapIou["1"], 12);
        // Mean of top-100 scores: (101 + 99) / 100 = 2 for the wrong answer, 1 for the right one.
        Assert.Equal(1, report.WrongAnswerAuroc!.Value, 12);
    }

    [Fact]
    public void Non_finite_scores_are_counted_and_left_out()
    {
        var trace = new[] { Token(0, double.PositiveInfinity), Token(1, 2), Token(2, 2) };
        var report = ResponseAnalyzer.Analyze([new AnalyzedResponse(trace, ["a", "b", "c"], null)], DivergenceKind.CrossEntropy, PlanningLexicon.Default);
        Assert.Equal((2, 1), (report.Tokens, report.NonFiniteTokens));
        Assert.Equal(0, report.Gini, 12);
        Assert.Null(report.WrongAnswerAuroc);
    }

    private static AnalyzedResponse Response(bool spike, bool correct)
    {
        var trace = Enumerable.Range(0, 100).Select(t => Token(t, spike && t == 10 ? 101 : 1)).ToArray();
        var texts = Enumerable.Range(0, 100).Select(t => spike && t == 10 ? " wait" : " x").ToArray();
        return new AnalyzedResponse(trace, texts, correct);
    }

    private static TokenTrace Token(int t, double score) => new(t, 65, TokenSource.Base, score, score, 0, -1, -1);
}

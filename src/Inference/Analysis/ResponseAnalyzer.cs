using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Analysis;

/// <summary>
/// Turns teacher-forced responses into an <see cref="AnalysisReport"/>. Token-level statistics pool every
/// token with a finite score over all responses; the AUROC works per response.
/// </summary>
public static class ResponseAnalyzer
{
    public const int TopK = 100;

    public static AnalysisReport Analyze(IReadOnlyList<AnalyzedResponse> responses, DivergenceKind score, PlanningLexicon lexicon)
    {
        var tokens = new List<(double Score, double Entropy, int Position, int Length, bool Planning)>();
        var nonFinite = 0;
        foreach (var response in responses)
        {
            var planning = lexicon.Mark(response.TokenTexts);
            foreach (var t in response.Trace)
            {
                if (!double.IsFinite(t.Score))
                {
                    nonFinite++;
                    continue;
                }
                tokens.Add((t.Score, t.BaseEntropy, t.Position, response.Trace.Count, planning[t.Position]));
            }
        }
        var scores = tokens.Select(t => t.Score).ToArray();
        var entropies = tokens.Select(t => t.Entropy).ToArray();
        var top1 = DisagreementStatistics.TopIndices(scores, TopTokenPositions.Fraction);
        var top5 = DisagreementStatistics.TopIndices(scores, 0.05);
        var labelled = responses.Where(r => r.Correct is not null).ToArray();
        var feature = labelled.Select(r => DisagreementStatistics.MeanOfTop(r.Trace.Select(t => t.Score).Where(double.IsFinite).ToArray(), TopK)).ToArray();
        return new AnalysisReport
        {
            Score = DivergenceScore.Name(score),
            Responses = responses.Count,
            Tokens = tokens.Count,
            NonFiniteTokens = nonFinite,
            ShareOfTokensHolding = new Dictionary<string, double>
            {
                ["50"] = DisagreementStatistics.ShareOfTokensHolding(scores, 0.5),
                ["80"] = DisagreementStatistics.ShareOfTokensHolding(scores, 0.8),
                ["90"] = DisagreementStatistics.ShareOfTokensHolding(scores, 0.9),
            },
            Gini = DisagreementStatistics.Gini(scores),
            Top1PercentPositionHistogram = TopTokenPositions.Histogram([.. tokens.Select(t => (t.Score, t.Position, t.Length))]),
            Top1PercentDefinition = TopTokenPositions.Definition,
            Planning = Enrichment(tokens.Select(t => t.Planning).ToArray(), top1, top5, lexicon),
            EntropyOverlapIou = new Dictionary<string, double>
            {
                ["1"] = DisagreementStatistics.IntersectionOverUnion(top1, DisagreementStatistics.TopIndices(entropies, 0.01)),
                ["5"] = DisagreementStatistics.IntersectionOverUnion(top5, DisagreementStatistics.TopIndices(entropies, 0.05)),
            },
            WrongAnswerAuroc = DisagreementStatistics.Auroc(feature, labelled.Select(r => r.Correct == false).ToArray()),
            LabelledResponses = labelled.Length,
        };
    }

    private static PlanningEnrichment Enrichment(bool[] planning, HashSet<int> top1, HashSet<int> top5, PlanningLexicon lexicon)
    {
        var baseRate = planning.Length == 0 ? double.NaN : planning.Count(p => p) / (double)planning.Length;
        var rate1 = Rate(planning, top1);
        var rate5 = Rate(planning, top5);
        return new PlanningEnrichment(lexicon.Phrases, baseRate, rate1, rate5,
            baseRate > 0 ? rate1 / baseRate : null, baseRate > 0 ? rate5 / baseRate : null);
    }

    private static double Rate(bool[] planning, HashSet<int> set) =>
        set.Count == 0 ? double.NaN : set.Count(i => planning[i]) / (double)set.Count;
}

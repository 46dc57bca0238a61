namespace EvalCluster.Inference.Analysis;

/// <summary>
/// How much more often planning-lexicon tokens appear among the top-scoring tokens than overall:
/// enrichment = rate among the top p% / rate among all tokens (null when no token is a planning token).
/// </summary>
public sealed record PlanningEnrichment(
    IReadOnlyList<string> Lexicon,
    double BaseRate,
    double Top1PercentRate,
    double Top5PercentRate,
    double? Top1PercentEnrichment,
    double? Top5PercentEnrichment);

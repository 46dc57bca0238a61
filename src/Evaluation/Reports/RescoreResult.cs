using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Reports;

/// <summary>Outcome of a rescore: samples graded, verdicts that changed, and the new summary.</summary>
public sealed record RescoreResult(int Samples, int Changed, RunSummary Summary);

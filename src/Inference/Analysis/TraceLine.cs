namespace EvalCluster.Inference.Analysis;

/// <summary>
/// One line of traces.jsonl: a response's per-token columns. The identity fields and "scores" match the run
/// folder's trace records, so a report can read analysis traces too.
/// </summary>
public sealed record TraceLine(
    string Task,
    string ProblemId,
    int Sample,
    string Arm,
    bool? Correct,
    string Score,
    IReadOnlyList<int> Tokens,
    IReadOnlyList<string> Texts,
    IReadOnlyList<double> Scores,
    IReadOnlyList<double> BaseEntropy,
    IReadOnlyList<double> GuideEntropy,
    IReadOnlyList<double> BaseLogProb,
    IReadOnlyList<double> GuideLogProb);

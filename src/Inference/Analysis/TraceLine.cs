namespace EvalCluster.Inference.Analysis;

/// <summary>
/// One line of traces.jsonl: a response's per-token columns, with the identity fields (task, problem_id, sample,
/// arm) of the samples.jsonl line it analyses.
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

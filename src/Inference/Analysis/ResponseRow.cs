namespace EvalCluster.Inference.Analysis;

/// <summary>
/// One response to analyse: the base's prompt, the response text, optional identity and correctness, and the
/// guide's user message when it differs from the base prompt (a run's samples.jsonl stores both).
/// </summary>
public sealed record ResponseRow(string Prompt, string Response, bool? Correct, string Task, string ProblemId, int Sample, string Arm)
{
    public string? GuidePrompt { get; init; }
}

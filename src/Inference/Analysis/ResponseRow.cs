namespace EvalCluster.Inference.Analysis;

/// <summary>One response to analyse: the user message, the response text, and optional identity and correctness.</summary>
public sealed record ResponseRow(string Prompt, string Response, bool? Correct, string Task, string ProblemId, int Sample, string Arm);

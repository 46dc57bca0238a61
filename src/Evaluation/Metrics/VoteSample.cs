namespace EvalCluster.Evaluation.Metrics;

/// <summary>One sample's vote: its answer key (null = no answer, which does not vote) and whether it is correct.</summary>
public readonly record struct VoteSample(string? AnswerKey, bool Correct);

namespace EvalCluster.Evaluation.Tasks;

/// <summary>One worked example placed before the problem in a few-shot base prompt.</summary>
public sealed record FewShotExample(string Problem, string Solution);

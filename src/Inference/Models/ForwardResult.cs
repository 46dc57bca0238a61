namespace EvalCluster.Inference.Models;

/// <summary>
/// Log-probabilities (float32, vocabulary-sized, natural log) after a forward pass of one session.
/// <see cref="Last"/> is the next-token distribution after the last fed token; <see cref="Positions"/>
/// holds one vector per fed token when requested (Positions[^1] is the same array as Last). The rows come from
/// <see cref="LogProbRows"/>: a caller that gives them back must give each array back once, and only when nothing
/// else holds it (the decode loop gives back Last; nothing gives back Positions).
/// </summary>
public sealed record ForwardResult(float[] Last, IReadOnlyList<float[]>? Positions);

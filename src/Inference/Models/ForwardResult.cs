namespace EvalCluster.Inference.Models;

/// <summary>
/// Log-probabilities (float32, vocabulary-sized, natural log) after a forward pass of one session.
/// <see cref="Last"/> is the next-token distribution after the last fed token; <see cref="Positions"/>
/// holds one vector per fed token when requested (Positions[^1] equals Last).
/// </summary>
public sealed record ForwardResult(float[] Last, IReadOnlyList<float[]>? Positions);

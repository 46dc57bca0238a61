namespace EvalCluster.Inference.Models;

/// <summary>
/// Tokens to feed one open session in a batched forward pass: a prompt prefill, one decode step, or a
/// multi-token catch-up. With <see cref="AllPositions"/> the log-probabilities of every fed position come back.
/// </summary>
public readonly record struct ForwardRequest(int Session, ReadOnlyMemory<int> Tokens, bool AllPositions = false);

namespace EvalCluster.Contracts.Models;

/// <summary>
/// Next-token log-probabilities over the full vocabulary. Immutable: Orleans passes it between grains of one
/// silo by reference, never copied or serialized (lanes keep full distributions inside one silo).
/// </summary>
[GenerateSerializer, Immutable, Alias("evalcluster.LogProbs")]
public sealed record LogProbs([property: Id(0)] float[] Values);

namespace EvalCluster.Contracts.Models;

/// <summary>What a model grain reports about its model: name, vocabulary, KV bytes per token, end-of-sequence ids.</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int VocabSize,
    [property: Id(2)] long KvBytesPerToken,
    [property: Id(3)] string Folder,
    [property: Id(4)] ImmutableArray<int> EosIds,
    [property: Id(5)] string Silo)
{
    /// <summary>Longest sequence (prompt + response) the model takes (config.json max_position_embeddings); 0 when unknown.</summary>
    [Id(6)] public int MaxContext { get; init; }
}

namespace EvalCluster.Contracts.Lanes;

/// <summary>
/// One lane as its silo describes it: id, device, the model folders it hosts (role -> folder) and the identity of
/// each model's weights (role -> SHA-256 of model.onnx and its external data, as manifests and calibrations record it).
/// </summary>
[GenerateSerializer, Immutable, Alias("evalcluster.LaneInfo")]
public sealed record LaneInfo(
    [property: Id(0)] string LaneId,
    [property: Id(1)] string SiloName,
    [property: Id(2)] string Device,
    [property: Id(3)] ImmutableDictionary<string, string> Models)
{
    [Id(4)] public ImmutableDictionary<string, string> Weights { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Sessions one step of this lane's models takes (the silo's Batching:MaxBatchSize for the lane's device);
    /// a coordinator keeps this many generations in flight on the lane unless told otherwise. 0: not reported.</summary>
    [Id(5)] public int MaxBatch { get; init; }
}

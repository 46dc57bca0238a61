namespace EvalCluster.Contracts.Lanes;

/// <summary>One lane as its silo describes it: id, device and the model folders (role -> folder) it hosts.</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.LaneInfo")]
public sealed record LaneInfo(
    [property: Id(0)] string LaneId,
    [property: Id(1)] string SiloName,
    [property: Id(2)] string Device,
    [property: Id(3)] ImmutableDictionary<string, string> Models);

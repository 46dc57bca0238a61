namespace EvalCluster.Contracts.Runs;

/// <summary>
/// What the coordinator registers in the run grain: the manifest's content hash (and its JSON, kept for
/// inspection) and every result key the run expects.
/// </summary>
[GenerateSerializer, Immutable, Alias("evalcluster.RunPlan")]
public sealed record RunPlan(
    [property: Id(0)] string ManifestHash,
    [property: Id(1)] string ManifestJson,
    [property: Id(2)] ImmutableArray<ResultKey> ExpectedKeys);

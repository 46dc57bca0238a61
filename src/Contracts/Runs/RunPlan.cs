namespace EvalCluster.Contracts.Runs;

/// <summary>What the coordinator registers in the run grain: the manifest's content hash and how many keys the run expects (in all and per task, for the progress gauges).</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.RunPlan")]
public sealed record RunPlan(
    [property: Id(0)] string ManifestHash,
    [property: Id(1)] int ExpectedKeys,
    [property: Id(2)] ImmutableDictionary<string, int>? ExpectedPerTask = null);

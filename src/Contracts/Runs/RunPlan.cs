namespace EvalCluster.Contracts.Runs;

/// <summary>What the coordinator registers in the run grain: the manifest's content hash and how many keys the run expects per task (for the progress gauges; the total is their sum).</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.RunPlan")]
public sealed record RunPlan(
    [property: Id(0)] string ManifestHash,
    [property: Id(1)] ImmutableDictionary<string, int> ExpectedPerTask);

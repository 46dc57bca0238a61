using EvalCluster.Contracts.Runs;

namespace EvalCluster.Grains.Runs;

/// <summary>The persisted state of a run grain: manifest, expected keys and results in recording order.</summary>
[GenerateSerializer, Alias("evalcluster.RunState")]
public sealed class RunState
{
    [Id(0)] public string ManifestHash { get; set; } = "";
    [Id(1)] public string ManifestJson { get; set; } = "";
    [Id(2)] public List<ResultKey> Expected { get; set; } = [];
    [Id(3)] public List<SampleResult> Results { get; set; } = [];
}

using EvalCluster.Contracts.Runs;

namespace EvalCluster.Grains.Runs;

/// <summary>The persisted ledger of a run: manifest hash, expected count per task, completed keys and how many were correct.</summary>
[GenerateSerializer, Alias("evalcluster.RunState")]
public sealed class RunState
{
    [Id(0)] public string ManifestHash { get; set; } = "";
    [Id(2)] public HashSet<ResultKey> Completed { get; set; } = [];
    [Id(3)] public int Correct { get; set; }
    [Id(4)] public Dictionary<string, int> ExpectedPerTask { get; set; } = [];
}

namespace EvalCluster.Contracts.Runs;

/// <summary>How far a run is: expected and finished keys, and correct results so far.</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.RunProgress")]
public sealed record RunProgress(
    [property: Id(0)] int Expected,
    [property: Id(1)] int Completed,
    [property: Id(2)] int Correct)
{
    public bool IsComplete => Expected > 0 && Completed >= Expected;
}

namespace EvalCluster.Contracts.Runs;

/// <summary>Identity of one result within a run: (task, problem, sample, arm).</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.ResultKey")]
public sealed record ResultKey(
    [property: Id(0)] string Task,
    [property: Id(1)] string ProblemId,
    [property: Id(2)] int Sample,
    [property: Id(3)] string Arm)
{
    public override string ToString() => $"{Task}|{ProblemId}|{Sample}|{Arm}";
}

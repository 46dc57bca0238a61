namespace EvalCluster.Evaluation.Runs;

/// <summary>summary.json: per task, per arm metrics and the recovery of each non-baseline arm.</summary>
public sealed record RunSummary
{
    public required string RunId { get; init; }

    public IReadOnlyDictionary<string, TaskSummary> Tasks { get; init; } = new Dictionary<string, TaskSummary>();
}

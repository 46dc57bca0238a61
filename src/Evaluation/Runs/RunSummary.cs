using EvalCluster.Evaluation.Metrics;

namespace EvalCluster.Evaluation.Runs;

/// <summary>summary.json: per task, per arm metrics, recovery and paired comparisons, and how the intervals were computed.</summary>
public sealed record RunSummary
{
    public required string RunId { get; init; }

    public string Intervals { get; init; } = ProblemBootstrap.Method;

    public IReadOnlyDictionary<string, TaskSummary> Tasks { get; init; } = new Dictionary<string, TaskSummary>();
}

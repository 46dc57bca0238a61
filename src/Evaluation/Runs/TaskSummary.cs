namespace EvalCluster.Evaluation.Runs;

/// <summary>One task of summary.json: arm name -> metrics, and arm name -> recovery.</summary>
public sealed record TaskSummary
{
    public IReadOnlyDictionary<string, ArmSummary> Arms { get; init; } = new Dictionary<string, ArmSummary>();

    /// <summary>Recovery of each arm other than the base and reference arms; empty when either is missing.</summary>
    public IReadOnlyDictionary<string, RecoverySummary> Recovery { get; init; } = new Dictionary<string, RecoverySummary>();
}

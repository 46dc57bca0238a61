namespace EvalCluster.Evaluation.Runs;

/// <summary>One task of summary.json: arm name -> metrics, arm name -> recovery, and paired comparisons between arms.</summary>
public sealed record TaskSummary
{
    /// <summary>The metrics shown for the task (its declared list, or all: mean, pass_at_k, maj_at_k).</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    public IReadOnlyDictionary<string, ArmSummary> Arms { get; init; } = new Dictionary<string, ArmSummary>();

    /// <summary>Recovery of each arm other than the base and reference arms; empty when either is missing.</summary>
    public IReadOnlyDictionary<string, RecoverySummary> Recovery { get; init; } = new Dictionary<string, RecoverySummary>();

    /// <summary>Every arm against base, and every matched random/early arm against its guided arm.</summary>
    public IReadOnlyList<ArmComparison> Comparisons { get; init; } = [];
}

/// <summary>
/// Accuracy of <c>Arm</c> minus accuracy of <c>Against</c> on the problems both have, with a paired 95% interval
/// and a two-sided p-value (<c>Test</c>: mcnemar-exact for greedy runs, paired-bootstrap otherwise).
/// </summary>
public sealed record ArmComparison(string Arm, string Against, int Problems, double Difference, double CiLow, double CiHigh, double PValue, string Test);

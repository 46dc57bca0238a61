namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// Recovery = (arm - base) / (reference - base) with a percentile bootstrap 95% interval over problems.
/// Value is NaN when reference and base accuracy are equal (nothing to recover).
/// </summary>
public sealed record RecoverySummary
{
    public required string BaseArm { get; init; }

    public required string ReferenceArm { get; init; }

    public double Value { get; init; }

    public double CiLow { get; init; }

    public double CiHigh { get; init; }
}

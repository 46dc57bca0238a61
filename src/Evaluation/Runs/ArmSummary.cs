namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// Metrics of one arm of one task: n samples graded, mean@n accuracy with a Wilson 95% interval, unbiased
/// pass@k and maj@k for k = 1, 2, 4 ... up to the samples per problem, mean realised rho, truncated share.
/// </summary>
public sealed record ArmSummary
{
    /// <summary>Graded samples (problems x samples per problem).</summary>
    public int N { get; init; }

    public int Problems { get; init; }

    public double Accuracy { get; init; }

    public double CiLow { get; init; }

    public double CiHigh { get; init; }

    public IReadOnlyDictionary<int, double> PassAtK { get; init; } = new Dictionary<int, double>();

    public IReadOnlyDictionary<int, double> MajAtK { get; init; } = new Dictionary<int, double>();

    /// <summary>Mean realised budget takeovers / generated tokens over samples.</summary>
    public double Rho { get; init; }

    /// <summary>Share of samples that hit the token limit.</summary>
    public double Truncated { get; init; }

    public IReadOnlyDictionary<string, GroupSummary>? BySubject { get; init; }

    public IReadOnlyDictionary<string, GroupSummary>? ByLevel { get; init; }
}

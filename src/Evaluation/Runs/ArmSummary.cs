using EvalCluster.Evaluation.Metrics;

namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// Metrics of one arm of one task. Accuracy is mean@n: the mean over problems of each problem's share of correct
/// samples, with a 95% bootstrap interval over problems (samples nested); pass@k and maj@k likewise. Failed samples
/// (records with an error) count as not correct and are reported apart from wrong ones; they are left out of rho
/// and the truncated share.
/// </summary>
public sealed record ArmSummary
{
    /// <summary>Samples recorded (problems x samples per problem), failed ones included.</summary>
    public int N { get; init; }

    public int Problems { get; init; }

    /// <summary>The smallest number of samples any problem has in this arm (the n of mean@n, pass@n).</summary>
    public int SamplesPerProblem { get; init; }

    public int Correct { get; init; }

    /// <summary>Samples that failed without a response (e.g. the prompt did not fit the model).</summary>
    public int Failed { get; init; }

    public double Accuracy { get; init; }

    public double CiLow { get; init; }

    public double CiHigh { get; init; }

    /// <summary>k -> unbiased pass@k with its interval (when the task declares pass_at_k).</summary>
    public IReadOnlyDictionary<int, Interval> PassAtK { get; init; } = new Dictionary<int, Interval>();

    /// <summary>k -> maj@k with its interval (when the task declares maj_at_k).</summary>
    public IReadOnlyDictionary<int, Interval> MajAtK { get; init; } = new Dictionary<int, Interval>();

    /// <summary>rho-bar: the mean over responses of takeovers / generated tokens (the paper's rho).</summary>
    public double Rho { get; init; }

    /// <summary>Token-weighted rho: all takeovers / all generated tokens of the arm.</summary>
    public double RhoTokenWeighted { get; init; }

    public long Takeovers { get; init; }

    public long ResponseTokens { get; init; }

    /// <summary>Share of (non-failed) samples that hit the token limit.</summary>
    public double Truncated { get; init; }

    public IReadOnlyDictionary<string, GroupSummary>? BySubject { get; init; }

    public IReadOnlyDictionary<string, GroupSummary>? ByLevel { get; init; }
}

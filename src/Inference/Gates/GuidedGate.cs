namespace EvalCluster.Inference.Gates;

/// <summary>
/// The method's gate: take over iff s_t &gt; tau AND s_t &gt; lambda * mean(s_{t-W} .. s_{t-1}); with fewer than W
/// earlier scores the mean covers those that exist, and at t = 0 only s_t &gt; tau applies. With a pre-filter
/// tau_H the guide is consulted only where H_b &gt; tau_H (lazy guide); skipped steps leave a NaN in the window,
/// which its mean ignores.
/// </summary>
public sealed class GuidedGate : IGate
{
    private readonly ScoreWindow _window;

    public GuidedGate(double tau, double lambda, int window, double? prefilterEntropy = null)
    {
        Tau = tau;
        Lambda = lambda;
        PrefilterEntropy = prefilterEntropy;
        _window = new ScoreWindow(window);
    }

    public double Tau { get; }

    public double Lambda { get; }

    public double? PrefilterEntropy { get; }

    public ArmModels Models => ArmModels.Both;

    public bool UsesBaseFeatures => PrefilterEntropy is not null;

    public GatePlan Plan(in BaseFeatures features) =>
        PrefilterEntropy is { } h && !(features.Entropy > h) ? GatePlan.Base : GatePlan.Score;

    public bool Decide(int position, double score) => Holds(score, Tau, Lambda, _window.Mean());

    public void Observe(int position, double score) => _window.Add(score);

    /// <summary>The gate condition itself, shared with tests and analysis so it is written down once.</summary>
    public static bool Holds(double score, double tau, double lambda, double? windowMean)
    {
        if (!(score > tau))
        {
            return false;
        }
        if (windowMean is not { } mean)
        {
            return true;
        }
        var local = lambda * mean;
        // lambda = 0 switches the local condition to s_t > 0 even when an earlier score was +infinity.
        return score > (double.IsNaN(local) ? 0 : local);
    }
}

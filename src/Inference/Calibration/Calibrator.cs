namespace EvalCluster.Inference.Calibration;

/// <summary>
/// Calibration without training: from all scores S of base rollouts, tau = quantile(S, 1 - r) and
/// lambda = mean(s | s &gt; tau) / mean(s). Quantiles interpolate linearly between order statistics
/// (the common "type 7" definition, numpy's default).
/// </summary>
public static class Calibrator
{
    public static (double Tau, double Lambda) Calibrate(IReadOnlyList<double> scores, double r)
    {
        if (r is <= 0 or >= 1)
        {
            throw new InferenceException($"r must lie strictly between 0 and 1 (got {r}); pass e.g. -r 0.05.");
        }
        var finite = scores.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            throw new InferenceException("calibration produced no finite scores; use more calibration prompts or a larger --max-new-tokens.");
        }
        var tau = Quantile(finite, 1 - r);
        var above = finite.Where(s => s > tau).ToArray();
        if (above.Length == 0)
        {
            throw new InferenceException($"no score exceeds tau = {tau} at r = {r}; use a larger r or more calibration prompts.");
        }
        var mean = finite.Average();
        var lambda = mean == 0 ? 1 : above.Average() / mean;
        return (tau, lambda);
    }

    /// <summary>The q-quantile with linear interpolation between the sorted values at (n - 1) q.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

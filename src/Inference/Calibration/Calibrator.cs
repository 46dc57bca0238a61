namespace EvalCluster.Inference.Calibration;

/// <summary>
/// Calibration without training: from all scores S of base rollouts, tau = quantile(S, 1 - r) and
/// lambda = mean(s | s &gt; tau) / mean(s). Quantiles interpolate linearly between order statistics
/// (the common "type 7" definition, numpy's default). Several r share one sort of the scores.
/// </summary>
public static class Calibrator
{
    public static (double Tau, double Lambda) Calibrate(IReadOnlyList<double> scores, double r)
    {
        var entry = Calibrate(scores, [r])[0];
        return (entry.Tau, entry.Lambda);
    }

    /// <summary>One entry per spike ratio, in increasing r.</summary>
    public static IReadOnlyList<CalibrationEntry> Calibrate(IReadOnlyList<double> scores, IReadOnlyList<double> rs)
    {
        if (rs.Count == 0)
        {
            throw new InferenceException("no spike ratio given; pass e.g. -r 0.02 or -r 0.01,0.02,0.04.");
        }
        foreach (var r in rs.Where(r => !(r > 0 && r < 1)))
        {
            throw new InferenceException($"r must lie strictly between 0 and 1 (got {r}); pass e.g. -r 0.05.");
        }
        var sorted = scores.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InferenceException("calibration produced no finite scores; use more calibration prompts or a larger --max-new-tokens.");
        }
        var mean = sorted.Average();
        var entries = new List<CalibrationEntry>();
        foreach (var r in rs.Distinct().Order())
        {
            var tau = QuantileOfSorted(sorted, 1 - r);
            var above = sorted.Where(s => s > tau).ToArray();
            if (above.Length == 0)
            {
                throw new InferenceException($"no score exceeds tau = {tau} at r = {r}; use a larger r or more calibration prompts.");
            }
            entries.Add(new CalibrationEntry(r, tau, mean == 0 ? 1 : above.Average() / mean));
        }
        return entries;
    }

    /// <summary>The q-quantile with linear interpolation between the sorted values at (n - 1) q.</summary>
    public static double Quantile(IReadOnlyList<double> values, double q) => QuantileOfSorted(values.Order().ToArray(), q);

    private static double QuantileOfSorted(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

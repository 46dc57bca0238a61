namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// Recovery = (arm - base) / (reference - base) over per-problem accuracies, with a percentile bootstrap
/// 95% interval that resamples problems (the three arms share problems, so they are resampled together).
/// </summary>
public static class Recovery
{
    public static double Point(double arm, double baseline, double reference) =>
        reference == baseline ? double.NaN : (arm - baseline) / (reference - baseline);

    /// <param name="arm">Per-problem accuracy of the arm, aligned with the other two lists.</param>
    public static Interval Compute(IReadOnlyList<double> arm, IReadOnlyList<double> baseline, IReadOnlyList<double> reference,
        int resamples = 2000, int seed = 12345)
    {
        var n = arm.Count;
        if (n == 0 || baseline.Count != n || reference.Count != n)
        {
            throw new ArgumentException("recovery needs the same non-empty problem list for arm, base and reference.");
        }
        var value = Point(arm.Average(), baseline.Average(), reference.Average());
        var rng = new Random(seed);
        var draws = new List<double>(resamples);
        for (var b = 0; b < resamples; b++)
        {
            double sa = 0, sb = 0, sr = 0;
            for (var i = 0; i < n; i++)
            {
                var j = rng.Next(n);
                sa += arm[j];
                sb += baseline[j];
                sr += reference[j];
            }
            var r = Point(sa / n, sb / n, sr / n);
            if (!double.IsNaN(r))
            {
                draws.Add(r);
            }
        }
        if (draws.Count == 0)
        {
            return new Interval(value, double.NaN, double.NaN);
        }
        draws.Sort();
        return new Interval(value, Quantile(draws, 0.025), Quantile(draws, 0.975));
    }

    private static double Quantile(List<double> sorted, double q)
    {
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}

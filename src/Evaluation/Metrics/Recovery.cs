namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// Recovery = (arm - base) / (reference - base) over per-problem accuracies, with a percentile bootstrap
/// 95% interval that resamples problems (the three arms share problems, so they are resampled together, and each
/// problem's samples stay nested in it).
/// </summary>
public static class Recovery
{
    public static double Point(double arm, double baseline, double reference) =>
        reference == baseline ? double.NaN : (arm - baseline) / (reference - baseline);

    /// <param name="arm">Per-problem accuracy of the arm, aligned with the other two lists.</param>
    public static Interval Compute(IReadOnlyList<double> arm, IReadOnlyList<double> baseline, IReadOnlyList<double> reference,
        int resamples = ProblemBootstrap.Resamples, int seed = ProblemBootstrap.Seed)
    {
        var n = arm.Count;
        if (n == 0 || baseline.Count != n || reference.Count != n)
        {
            throw new ArgumentException("recovery needs the same non-empty problem list for arm, base and reference.");
        }
        var value = Point(arm.Average(), baseline.Average(), reference.Average());
        var draws = ProblemBootstrap.Draws(n, resamples, seed, idx =>
        {
            double sa = 0, sb = 0, sr = 0;
            foreach (var j in idx)
            {
                sa += arm[j];
                sb += baseline[j];
                sr += reference[j];
            }
            return Point(sa / n, sb / n, sr / n);
        });
        return new Interval(value, ProblemBootstrap.Quantile(draws, 0.025), ProblemBootstrap.Quantile(draws, 0.975));
    }
}

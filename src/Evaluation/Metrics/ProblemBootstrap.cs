namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// Percentile bootstrap over problems with the samples nested in them: a resample draws problems with
/// replacement and keeps each drawn problem's samples together, so samples of one problem that agree do not
/// count as independent evidence (n = problems, not problems x samples). Every metric here is first reduced to
/// one value per problem (its mean accuracy, pass@k estimate or maj@k verdict), then resampled. Seeded, so the
/// same samples always give the same interval.
/// </summary>
public static class ProblemBootstrap
{
    public const int Resamples = 2000;
    public const int Seed = 20260512;

    /// <summary>How intervals are computed, for summary.json and report.md.</summary>
    public const string Method =
        "95% percentile bootstrap over problems (samples nested in problems, 2000 resamples); " +
        "a zero-width bootstrap (every problem 0% or every problem 100%) is replaced by the Wilson interval over problems";

    /// <summary>The mean of per-problem values with its 95% interval.</summary>
    public static Interval Mean(IReadOnlyList<double> perProblem, int resamples = Resamples, int seed = Seed)
    {
        var n = perProblem.Count;
        if (n == 0)
        {
            return new Interval(double.NaN, double.NaN, double.NaN);
        }
        var value = perProblem.Average();
        var draws = Draws(n, resamples, seed, idx =>
        {
            double sum = 0;
            foreach (var i in idx)
            {
                sum += perProblem[i];
            }
            return sum / n;
        });
        var low = Quantile(draws, 0.025);
        var high = Quantile(draws, 0.975);
        if (high - low < 1e-12 && value is 0 or 1)
        {
            return WilsonInterval.Compute(value * n, n);
        }
        return new Interval(value, low, high);
    }

    /// <summary>
    /// Sorted bootstrap draws of <paramref name="statistic"/> over index resamples of 0..n-1 (NaN draws dropped).
    /// The index array passed to the statistic is reused between draws.
    /// </summary>
    public static List<double> Draws(int n, int resamples, int seed, Func<int[], double> statistic)
    {
        var rng = new Random(seed);
        var idx = new int[n];
        var draws = new List<double>(resamples);
        for (var b = 0; b < resamples; b++)
        {
            for (var i = 0; i < n; i++)
            {
                idx[i] = rng.Next(n);
            }
            var d = statistic(idx);
            if (!double.IsNaN(d))
            {
                draws.Add(d);
            }
        }
        draws.Sort();
        return draws;
    }

    /// <summary>Linear-interpolated quantile of sorted values (NaN when empty).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        var pos = q * (sorted.Count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}

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
    public static Interval Mean(IReadOnlyList<double> perProblem, int resamples = Resamples, int seed = Seed) =>
        Means([perProblem], resamples, seed)[0];

    /// <summary>
    /// Intervals of several per-problem columns over the same problems from the same resamples (one random draw per
    /// resample for all of them; each column's interval equals what <see cref="Mean"/> gives it alone).
    /// </summary>
    public static Interval[] Means(IReadOnlyList<IReadOnlyList<double>> columns, int resamples = Resamples, int seed = Seed)
    {
        var n = columns.Count == 0 ? 0 : columns[0].Count;
        if (n == 0 || columns.Any(c => c.Count != n))
        {
            return [.. columns.Select(_ => new Interval(double.NaN, double.NaN, double.NaN))];
        }
        var draws = columns.Select(_ => new List<double>(resamples)).ToArray();
        var sums = new double[columns.Count];
        var rng = new Random(seed);
        for (var b = 0; b < resamples; b++)
        {
            Array.Clear(sums);
            for (var i = 0; i < n; i++)
            {
                var j = rng.Next(n);
                for (var c = 0; c < sums.Length; c++)
                {
                    sums[c] += columns[c][j];
                }
            }
            for (var c = 0; c < sums.Length; c++)
            {
                draws[c].Add(sums[c] / n);
            }
        }
        var result = new Interval[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            draws[c].Sort();
            var value = columns[c].Average();
            var low = Quantile(draws[c], 0.025);
            var high = Quantile(draws[c], 0.975);
            result[c] = high - low < 1e-12 && value is 0 or 1 ? WilsonInterval.Compute(value * n, n) : new Interval(value, low, high);
        }
        return result;
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

namespace EvalCluster.Inference.Analysis;

/// <summary>
/// The concentration statistics of the analysis, on plain score lists so they are checkable by hand:
/// how few tokens hold a given share of the total, the Gini coefficient, top-p% index sets and their IoU,
/// and AUROC. Negative scores (rounding) count as 0; callers drop non-finite scores first.
/// </summary>
public static class DisagreementStatistics
{
    /// <summary>The smallest fraction of tokens whose scores (largest first) add up to at least <paramref name="share"/> of the total.</summary>
    public static double ShareOfTokensHolding(IReadOnlyList<double> scores, double share)
    {
        if (scores.Count == 0)
        {
            return double.NaN;
        }
        var sorted = scores.Select(s => Math.Max(0, s)).OrderDescending().ToArray();
        var total = sorted.Sum();
        if (total <= 0)
        {
            return double.NaN;
        }
        double cumulative = 0;
        for (var k = 0; k < sorted.Length; k++)
        {
            cumulative += sorted[k];
            // A relative epsilon so that "exactly 50%" is reached despite rounding in the running sum.
            if (cumulative >= share * total * (1 - 1e-12))
            {
                return (k + 1.0) / sorted.Length;
            }
        }
        return 1;
    }

    /// <summary>Gini coefficient: 0 when every token scores the same, towards 1 when one token holds everything.</summary>
    public static double Gini(IReadOnlyList<double> scores)
    {
        var sorted = scores.Select(s => Math.Max(0, s)).Order().ToArray();
        var n = sorted.Length;
        var total = sorted.Sum();
        if (n == 0 || total <= 0)
        {
            return double.NaN;
        }
        double weighted = 0;
        for (var i = 0; i < n; i++)
        {
            weighted += (i + 1) * sorted[i];
        }
        return 2 * weighted / (n * total) - (n + 1.0) / n;
    }

    /// <summary>Indices of the top <paramref name="fraction"/> of values (at least one; ties go to the lower index).</summary>
    public static HashSet<int> TopIndices(IReadOnlyList<double> values, double fraction)
    {
        var count = Math.Max(1, (int)Math.Ceiling(fraction * values.Count - 1e-9));
        return Enumerable.Range(0, values.Count)
            .OrderByDescending(i => values[i]).ThenBy(i => i)
            .Take(count).ToHashSet();
    }

    public static double IntersectionOverUnion(IReadOnlySet<int> a, IReadOnlySet<int> b)
    {
        var union = a.Union(b).Count();
        return union == 0 ? double.NaN : (double)a.Intersect(b).Count() / union;
    }

    /// <summary>
    /// Area under the ROC curve of <paramref name="feature"/> as a predictor of <paramref name="positive"/>:
    /// the probability that a random positive scores higher than a random negative (ties count half); null when
    /// a class is empty.
    /// </summary>
    public static double? Auroc(IReadOnlyList<double> feature, IReadOnlyList<bool> positive)
    {
        var pos = feature.Where((_, i) => positive[i]).ToArray();
        var neg = feature.Where((_, i) => !positive[i]).ToArray();
        if (pos.Length == 0 || neg.Length == 0)
        {
            return null;
        }
        double wins = 0;
        foreach (var p in pos)
        {
            foreach (var q in neg)
            {
                wins += p > q ? 1 : p == q ? 0.5 : 0;
            }
        }
        return wins / ((double)pos.Length * neg.Length);
    }

    /// <summary>Mean of the <paramref name="k"/> largest scores (all of them when fewer).</summary>
    public static double MeanOfTop(IReadOnlyList<double> scores, int k) =>
        scores.Count == 0 ? double.NaN : scores.OrderDescending().Take(k).Average();

    /// <summary>Counts of normalised positions t/T (t from 0) in <paramref name="bins"/> equal bins over [0, 1).</summary>
    public static int[] PositionHistogram(IEnumerable<(int Position, int Length)> tokens, int bins)
    {
        var counts = new int[bins];
        foreach (var (t, length) in tokens)
        {
            counts[Math.Min(bins - 1, (int)Math.Floor((double)t / length * bins))]++;
        }
        return counts;
    }
}

namespace EvalCluster.Evaluation.Metrics;

/// <summary>The difference of two arms on the same problems, its 95% interval, a two-sided p-value and the test's name.</summary>
public readonly record struct PairedResult(int Problems, double Difference, double Low, double High, double PValue, string Test);

/// <summary>
/// Paired comparisons of two arms on the same problems. Greedy runs (one sample per problem in both arms) use
/// McNemar's exact test on the discordant problems; sampled runs use a paired bootstrap over problems (each
/// problem's mean accuracy in both arms drawn together), whose p-value is twice the share of draws on the far
/// side of zero.
/// </summary>
public static class PairedTest
{
    public const string McNemar = "mcnemar-exact";
    public const string Bootstrap = "paired-bootstrap";

    /// <param name="a">Per-problem accuracy of the first arm, aligned with <paramref name="b"/>.</param>
    /// <param name="greedy">True when every problem has one sample in both arms (values are 0 or 1).</param>
    public static PairedResult Compare(IReadOnlyList<double> a, IReadOnlyList<double> b, bool greedy,
        int resamples = ProblemBootstrap.Resamples, int seed = ProblemBootstrap.Seed)
    {
        var n = a.Count;
        if (n == 0 || b.Count != n)
        {
            throw new ArgumentException("a paired comparison needs the same non-empty problem list for both arms.");
        }
        var diffs = Enumerable.Range(0, n).Select(i => a[i] - b[i]).ToArray();
        var draws = ProblemBootstrap.Draws(n, resamples, seed, idx =>
        {
            double sum = 0;
            foreach (var i in idx)
            {
                sum += diffs[i];
            }
            return sum / n;
        });
        var low = ProblemBootstrap.Quantile(draws, 0.025);
        var high = ProblemBootstrap.Quantile(draws, 0.975);
        if (greedy)
        {
            var onlyA = diffs.Count(d => d > 0);
            var onlyB = diffs.Count(d => d < 0);
            return new PairedResult(n, diffs.Average(), low, high, McNemarExact(onlyA, onlyB), McNemar);
        }
        var atOrBelow = draws.Count(d => d <= 0);
        var atOrAbove = draws.Count(d => d >= 0);
        var p = Math.Min(1.0, 2.0 * (Math.Min(atOrBelow, atOrAbove) + 1) / (draws.Count + 1));
        return new PairedResult(n, diffs.Average(), low, high, diffs.All(d => d == 0) ? 1.0 : p, Bootstrap);
    }

    /// <summary>
    /// Two-sided exact McNemar p-value for <paramref name="onlyA"/> problems right only in arm A and
    /// <paramref name="onlyB"/> right only in arm B: 2 x P(X &lt;= min) for X ~ Binomial(onlyA + onlyB, 1/2), capped at 1.
    /// </summary>
    public static double McNemarExact(int onlyA, int onlyB)
    {
        var m = onlyA + onlyB;
        if (m == 0)
        {
            return 1.0;
        }
        var k = Math.Min(onlyA, onlyB);
        // Sum of C(m, i) / 2^m for i <= k, in log space so large m does not overflow.
        double tail = 0;
        for (var i = 0; i <= k; i++)
        {
            tail += Math.Exp(LogChoose(m, i) - m * Math.Log(2));
        }
        return Math.Min(1.0, 2 * tail);
    }

    private static double LogChoose(int n, int k)
    {
        double sum = 0;
        for (var i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }
        return sum;
    }
}

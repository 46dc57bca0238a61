namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// Wilson score interval for a proportion: unlike the normal approximation it stays inside [0, 1] and is
/// sensible at 0/n and n/n, which small benchmarks (AIME: 30 problems) hit often.
/// </summary>
public static class WilsonInterval
{
    public const double Z95 = 1.959963984540054;

    public static Interval Compute(double successes, int n, double z = Z95)
    {
        if (n <= 0)
        {
            return new Interval(double.NaN, double.NaN, double.NaN);
        }
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new Interval(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}

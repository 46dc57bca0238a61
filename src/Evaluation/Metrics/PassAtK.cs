namespace EvalCluster.Evaluation.Metrics;

/// <summary>
/// Unbiased pass@k (Chen et al. 2021): 1 - C(n-c, k) / C(n, k) for n samples of which c are correct,
/// computed as a running product so large n never overflows.
/// </summary>
public static class PassAtK
{
    public static double Estimate(int n, int c, int k)
    {
        if (k <= 0 || k > n || c < 0 || c > n)
        {
            throw new ArgumentException($"pass@k needs 0 < k <= n and 0 <= c <= n; got n={n}, c={c}, k={k}.");
        }
        if (n - c < k)
        {
            return 1.0;
        }
        var allWrong = 1.0;
        for (var i = n - c + 1; i <= n; i++)
        {
            allWrong *= 1.0 - (double)k / i;
        }
        return 1.0 - allWrong;
    }
}

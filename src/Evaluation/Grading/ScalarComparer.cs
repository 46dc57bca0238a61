namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Compares two parsed scalars: exactly as rationals when both are rational (so 1/2004! differs from
/// 1/2006!), else numerically with a relative tolerance, else, with variables, at random points. A percent
/// sign allows the value divided by 100. Infinity equals infinity only when written as \infty.
/// </summary>
public static class ScalarComparer
{
    public const double RelativeTolerance = 1e-6;

    public static bool Equal(ScalarNode gold, ScalarNode prediction, CancellationToken cancel)
    {
        if (gold.Expr is not { } g || prediction.Expr is not { } p)
        {
            return false;
        }
        var gv = g.Variables();
        var pv = p.Variables();
        if (gv.Count > 0 || pv.Count > 0)
        {
            return gv.SequenceEqual(pv) && RandomPoints.AllAgree(g, p, gv, Close, cancel);
        }
        if (ExactEvaluator.TryEvaluate(g, cancel) is { } eg && ExactEvaluator.TryEvaluate(p, cancel) is { } ep)
        {
            var hundred = BigRational.FromInteger(100);
            if (eg == ep || (prediction.Percent && eg == ep / hundred) || (gold.Percent && eg / hundred == ep))
            {
                return true;
            }
            // A written decimal is an approximation: 4.666666667 matches 14/3 within tolerance.
            if (!gold.Text.Contains('.') && !prediction.Text.Contains('.'))
            {
                return false;
            }
        }
        var dg = NumericEvaluator.Evaluate(g, Empty, cancel);
        var dp = NumericEvaluator.Evaluate(p, Empty, cancel);
        if (double.IsInfinity(dg) || double.IsInfinity(dp))
        {
            return dg == dp && g.ContainsInfinity && p.ContainsInfinity;
        }
        return Close(dg, dp) || (prediction.Percent && Close(dg, dp / 100)) || (gold.Percent && Close(dg / 100, dp));
    }

    /// <summary>Relative closeness; exact zero matches only (near) zero.</summary>
    public static bool Close(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b) || double.IsInfinity(a) || double.IsInfinity(b))
        {
            return false;
        }
        var scale = Math.Max(Math.Abs(a), Math.Abs(b));
        return Math.Abs(a - b) <= RelativeTolerance * scale || scale < 1e-300;
    }

    private static readonly IReadOnlyDictionary<string, double> Empty = new Dictionary<string, double>();
}

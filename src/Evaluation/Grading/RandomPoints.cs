namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Symbolic equality by evaluation: two expressions over the same variables are equal when they agree at
/// several random points (fixed seed, so grading is deterministic). Points where either side is undefined
/// are skipped; at least four defined points are required.
/// </summary>
public static class RandomPoints
{
    private const int Needed = 4;
    private const int Attempts = 24;

    public static bool AllAgree(Expr a, Expr b, IReadOnlyList<string> variables, Func<double, double, bool> equal, CancellationToken cancel)
    {
        var rng = new Random(20240607);
        var valid = 0;
        for (var attempt = 0; attempt < Attempts && valid < Needed + 2; attempt++)
        {
            // Positive points first (roots and logs are defined), then negative ones.
            var sign = attempt < Attempts / 2 ? 1.0 : -1.0;
            var point = variables.ToDictionary(v => v, _ => sign * (0.3 + 2.7 * rng.NextDouble()));
            var x = NumericEvaluator.Evaluate(a, point, cancel);
            var y = NumericEvaluator.Evaluate(b, point, cancel);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                continue;
            }
            if (!equal(x, y))
            {
                return false;
            }
            valid++;
        }
        return valid >= Needed;
    }
}

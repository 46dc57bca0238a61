namespace EvalCluster.Evaluation.Grading;

/// <summary>Evaluates an expression in double precision at given variable values; domain errors give NaN.</summary>
public static class NumericEvaluator
{
    public static double Evaluate(Expr e, IReadOnlyDictionary<string, double> variables, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        switch (e.Kind)
        {
            case ExprKind.Number:
                return e.Number.ToDouble();
            case ExprKind.Variable:
                return variables.TryGetValue(e.Name, out var v) ? v : double.NaN;
            case ExprKind.Constant:
                return e.Name switch { "pi" => Math.PI, "e" => Math.E, "inf" => double.PositiveInfinity, _ => double.NaN };
            case ExprKind.Negate:
                return -Evaluate(e.Args[0], variables, cancel);
            case ExprKind.Factorial:
                return Factorial(Evaluate(e.Args[0], variables, cancel));
            case ExprKind.Function:
                return Function(e.Name, [.. e.Args.Select(a => Evaluate(a, variables, cancel))]);
        }
        var a = Evaluate(e.Args[0], variables, cancel);
        var b = Evaluate(e.Args[1], variables, cancel);
        return e.Kind switch
        {
            ExprKind.Add => a + b,
            ExprKind.Subtract => a - b,
            ExprKind.Multiply => a * b,
            ExprKind.Divide => b == 0 ? double.NaN : a / b,
            ExprKind.Power => Pow(a, b),
            _ => double.NaN,
        };
    }

    // Odd roots of negative numbers are real: (-8)^(1/3) = -2.
    private static double Pow(double a, double b)
    {
        if (a < 0 && Math.Abs(b) < 1 && b != 0)
        {
            var inv = 1 / b;
            var rounded = Math.Round(inv);
            if (Math.Abs(inv - rounded) < 1e-9 && ((long)rounded & 1) == 1)
            {
                return -Math.Pow(-a, b);
            }
        }
        return Math.Pow(a, b);
    }

    private static double Factorial(double n)
    {
        if (n < 0 || n != Math.Floor(n))
        {
            return double.NaN;
        }
        if (n > 170)
        {
            return double.PositiveInfinity;
        }
        var r = 1.0;
        for (var i = 2; i <= n; i++)
        {
            r *= i;
        }
        return r;
    }

    private static double Function(string name, double[] x) => name switch
    {
        "sqrt" => x[0] < 0 ? double.NaN : Math.Sqrt(x[0]),
        "root" => Pow(x[0], 1 / x[1]),
        "abs" => Math.Abs(x[0]),
        "sin" => Math.Sin(x[0]),
        "cos" => Math.Cos(x[0]),
        "tan" => Math.Tan(x[0]),
        "cot" => 1 / Math.Tan(x[0]),
        "sec" => 1 / Math.Cos(x[0]),
        "csc" => 1 / Math.Sin(x[0]),
        "arcsin" => Math.Asin(x[0]),
        "arccos" => Math.Acos(x[0]),
        "arctan" => Math.Atan(x[0]),
        "sinh" => Math.Sinh(x[0]),
        "cosh" => Math.Cosh(x[0]),
        "tanh" => Math.Tanh(x[0]),
        "ln" or "log" => x[0] <= 0 ? double.NaN : Math.Log(x[0]),
        "exp" => Math.Exp(x[0]),
        "floor" => Math.Floor(x[0]),
        "ceil" => Math.Ceiling(x[0]),
        "binom" => Factorial(x[0]) / (Factorial(x[1]) * Factorial(x[0] - x[1])),
        _ => double.NaN,
    };
}

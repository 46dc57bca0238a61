using System.Numerics;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Evaluates a variable-free expression exactly as a rational, or returns null when the value is not
/// rational (pi, most roots, logs) or would be absurdly large. Long loops (factorials, powers) check the
/// cancellation token, so the grader's time limit stops them.
/// </summary>
public static class ExactEvaluator
{
    private const long MaxBits = 1L << 22;
    private const int MaxFactorial = 1_000_000;

    public static BigRational? TryEvaluate(Expr e, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        try
        {
            return Eval(e, cancel);
        }
        catch (DivideByZeroException)
        {
            return null;
        }
    }

    private static BigRational? Eval(Expr e, CancellationToken cancel)
    {
        switch (e.Kind)
        {
            case ExprKind.Number:
                return e.Number;
            case ExprKind.Negate:
                return -Eval(e.Args[0], cancel);
            case ExprKind.Factorial:
                return Eval(e.Args[0], cancel) is { IsInteger: true } n ? Factorial(n.Numerator, cancel) : null;
            case ExprKind.Function:
                return Function(e, cancel);
            case ExprKind.Variable or ExprKind.Constant:
                return null;
        }
        if (Eval(e.Args[0], cancel) is not { } a || Eval(e.Args[1], cancel) is not { } b)
        {
            return null;
        }
        return e.Kind switch
        {
            ExprKind.Add => a + b,
            ExprKind.Subtract => a - b,
            ExprKind.Multiply => a * b,
            ExprKind.Divide => a / b,
            ExprKind.Power => Power(a, b, cancel),
            _ => null,
        };
    }

    private static BigRational? Function(Expr e, CancellationToken cancel)
    {
        var args = e.Args.Select(a => Eval(a, cancel)).ToList();
        if (args.Any(a => a is null))
        {
            return null;
        }
        var x = args[0]!.Value;
        return e.Name switch
        {
            "sqrt" => Root(x, 2),
            "root" when args[1] is { IsInteger: true } n && n.Numerator > 0 && n.Numerator < 64 => Root(x, (int)n.Numerator),
            "abs" => x.Numerator.Sign < 0 ? -x : x,
            "binom" when x.IsInteger && args[1] is { IsInteger: true } k => Binomial(x.Numerator, k.Numerator, cancel),
            "floor" or "ceil" => null,
            _ => null,
        };
    }

    private static BigRational? Power(BigRational a, BigRational b, CancellationToken cancel)
    {
        if (!b.IsInteger)
        {
            // a^(p/q) is rational when a is a perfect q-th power.
            return b.Denominator < 64 && Root(a, (int)b.Denominator) is { } r ? Power(r, new BigRational(b.Numerator, 1), cancel) : null;
        }
        var n = b.Numerator;
        if (n.IsZero)
        {
            return BigRational.One;
        }
        if (BigInteger.Abs(n) > int.MaxValue || a.Bits * (double)BigInteger.Abs(n) > MaxBits)
        {
            return null;
        }
        var exp = (int)BigInteger.Abs(n);
        cancel.ThrowIfCancellationRequested();
        var num = BigInteger.Pow(a.Numerator, exp);
        var den = BigInteger.Pow(a.Denominator, exp);
        return n.Sign > 0 ? new BigRational(num, den) : new BigRational(den, num);
    }

    private static BigRational? Root(BigRational x, int degree)
    {
        if (x.Numerator.Sign < 0 && degree % 2 == 0)
        {
            return null;
        }
        var sign = x.Numerator.Sign < 0 ? -1 : 1;
        var num = IntegerRoot(BigInteger.Abs(x.Numerator), degree);
        var den = IntegerRoot(x.Denominator, degree);
        return num is { } p && den is { } q ? new BigRational(sign * p, q) : null;
    }

    private static BigInteger? IntegerRoot(BigInteger n, int degree)
    {
        if (n.GetBitLength() > 4096)
        {
            return null;
        }
        var guess = new BigInteger(Math.Round(Math.Exp(BigInteger.Log(n) / degree)));
        for (var d = -1; d <= 1; d++)
        {
            var c = guess + d;
            if (c.Sign >= 0 && BigInteger.Pow(c, degree) == n)
            {
                return c;
            }
        }
        return n.IsZero ? BigInteger.Zero : null;
    }

    private static BigRational? Factorial(BigInteger n, CancellationToken cancel)
    {
        if (n.Sign < 0 || n > MaxFactorial)
        {
            return null;
        }
        var result = BigInteger.One;
        for (var i = 2; i <= (int)n; i++)
        {
            if ((i & 63) == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }
            result *= i;
        }
        return BigRational.FromInteger(result);
    }

    private static BigRational? Binomial(BigInteger n, BigInteger k, CancellationToken cancel)
    {
        if (k.Sign < 0 || n.Sign < 0 || k > n || n > MaxFactorial)
        {
            return k.Sign < 0 || k > n ? BigRational.Zero : null;
        }
        var result = BigInteger.One;
        var kk = (int)BigInteger.Min(k, n - k);
        for (var i = 1; i <= kk; i++)
        {
            if ((i & 63) == 0)
            {
                cancel.ThrowIfCancellationRequested();
            }
            result = result * (n - kk + i) / i;
        }
        return BigRational.FromInteger(result);
    }
}

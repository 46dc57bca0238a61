namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Evaluates sums, differences, scalar multiples, products and small integer powers of matrix literals
/// ("\begin{pmatrix}1\\2\end{pmatrix} + \begin{pmatrix}3\\4\end{pmatrix}") into one matrix of entry
/// expressions, so it compares entry by entry with a written-out result. Each literal stands in the
/// expression as the placeholder variable Ω_{k}; anything else (a determinant, a matrix in a fraction)
/// is not evaluated and the answer stays unequal to a matrix.
/// </summary>
public static class MatrixAlgebra
{
    public const string Placeholder = "Ω";
    private const int MaxPower = 16;

    public static MatrixNode? Evaluate(string text, string expression, IReadOnlyList<IReadOnlyList<IReadOnlyList<AnswerNode>>> literals, CancellationToken cancel)
    {
        if (LatexParser.TryParse(expression, cancel) is not { } e)
        {
            return null;
        }
        var matrices = new List<Expr[][]>();
        foreach (var rows in literals)
        {
            if (rows.Count == 0 || rows.Any(r => r.Count != rows[0].Count || r.Any(c => c is not ScalarNode { Expr: not null })))
            {
                return null;
            }
            matrices.Add([.. rows.Select(r => r.Select(c => ((ScalarNode)c).Expr!).ToArray())]);
        }
        try
        {
            if (Eval(e, matrices, cancel) is not { Matrix: { } m })
            {
                return null;
            }
            return new MatrixNode(text, [.. m.Select(r => (IReadOnlyList<AnswerNode>)[.. r.Select(x => new ScalarNode(x.ToString(), x, false))])]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private readonly record struct Value(Expr? Scalar, Expr[][]? Matrix);

    private static Value Eval(Expr e, List<Expr[][]> matrices, CancellationToken cancel)
    {
        cancel.ThrowIfCancellationRequested();
        if (!HasPlaceholder(e))
        {
            return new Value(e, null);
        }
        if (e.Kind == ExprKind.Variable)
        {
            return int.TryParse(e.Name[(Placeholder.Length + 1)..], out var k) && k < matrices.Count ? new Value(null, matrices[k]) : throw new FormatException();
        }
        switch (e.Kind)
        {
            case ExprKind.Negate:
                var inner = Eval(e.Args[0], matrices, cancel).Matrix ?? throw new FormatException();
                return new Value(null, Map(inner, x => Expr.Op(ExprKind.Negate, x)));
            case ExprKind.Add or ExprKind.Subtract:
                var a = Eval(e.Args[0], matrices, cancel).Matrix ?? throw new FormatException();
                var b = Eval(e.Args[1], matrices, cancel).Matrix ?? throw new FormatException();
                if (a.Length != b.Length || a[0].Length != b[0].Length)
                {
                    throw new FormatException();
                }
                return new Value(null, [.. a.Select((row, i) => row.Select((x, j) => Expr.Op(e.Kind, x, b[i][j])).ToArray())]);
            case ExprKind.Multiply:
                return Multiply(Eval(e.Args[0], matrices, cancel), Eval(e.Args[1], matrices, cancel));
            case ExprKind.Divide when Eval(e.Args[1], matrices, cancel) is { Scalar: { } d }:
                var numerator = Eval(e.Args[0], matrices, cancel).Matrix ?? throw new FormatException();
                return new Value(null, Map(numerator, x => Expr.Op(ExprKind.Divide, x, d)));
            case ExprKind.Power when e.Args[1] is { Kind: ExprKind.Number } n && n.Number.IsInteger && n.Number.Numerator > 0 && n.Number.Numerator <= MaxPower:
                var baseValue = Eval(e.Args[0], matrices, cancel);
                var result = baseValue;
                for (var i = 1; i < (int)n.Number.Numerator; i++)
                {
                    result = Multiply(result, baseValue);
                }
                return result;
            default:
                throw new FormatException();
        }
    }

    private static Value Multiply(Value a, Value b)
    {
        if (a.Scalar is { } s && b.Matrix is { } m)
        {
            return new Value(null, Map(m, x => Expr.Op(ExprKind.Multiply, s, x)));
        }
        if (a.Matrix is { } m2 && b.Scalar is { } s2)
        {
            return new Value(null, Map(m2, x => Expr.Op(ExprKind.Multiply, x, s2)));
        }
        if (a.Matrix is not { } left || b.Matrix is not { } right || left[0].Length != right.Length)
        {
            throw new FormatException();
        }
        var product = new Expr[left.Length][];
        for (var i = 0; i < left.Length; i++)
        {
            product[i] = new Expr[right[0].Length];
            for (var j = 0; j < right[0].Length; j++)
            {
                var sum = Expr.Op(ExprKind.Multiply, left[i][0], right[0][j]);
                for (var k = 1; k < right.Length; k++)
                {
                    sum = Expr.Op(ExprKind.Add, sum, Expr.Op(ExprKind.Multiply, left[i][k], right[k][j]));
                }
                product[i][j] = sum;
            }
        }
        return new Value(null, product);
    }

    private static Expr[][] Map(Expr[][] m, Func<Expr, Expr> f) => [.. m.Select(r => r.Select(f).ToArray())];

    private static bool HasPlaceholder(Expr e) =>
        (e.Kind == ExprKind.Variable && e.Name.StartsWith(Placeholder + "_", StringComparison.Ordinal)) || e.Args.Any(HasPlaceholder);
}

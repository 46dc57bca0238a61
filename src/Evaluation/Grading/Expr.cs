namespace EvalCluster.Evaluation.Grading;

/// <summary>Node kinds of a parsed math expression.</summary>
public enum ExprKind
{
    Number,
    Variable,
    Constant,
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    Negate,
    Factorial,
    Function,
}

/// <summary>
/// A math expression tree parsed from LaTeX. Number holds an exact rational; Variable and Constant (pi, e,
/// infinity) a name; Function a name (sin, sqrt, root, log, binom, abs ...) and its arguments.
/// </summary>
public sealed record Expr(ExprKind Kind, IReadOnlyList<Expr> Args, BigRational Number = default, string Name = "")
{
    public static Expr Num(BigRational value) => new(ExprKind.Number, [], value);

    public static Expr Var(string name) => new(ExprKind.Variable, [], Name: name);

    public static Expr Const(string name) => new(ExprKind.Constant, [], Name: name);

    public static Expr Op(ExprKind kind, params Expr[] args) => new(kind, args);

    public static Expr Fn(string name, params Expr[] args) => new(ExprKind.Function, args, Name: name);

    /// <summary>The free variables, sorted.</summary>
    public IReadOnlyList<string> Variables()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        Collect(this, set);
        return [.. set];
    }

    public bool ContainsInfinity => Kind == ExprKind.Constant && Name == "inf" || Args.Any(a => a.ContainsInfinity);

    /// <summary>A compact prefix form for the grade command's *_parsed output.</summary>
    public override string ToString() => Kind switch
    {
        ExprKind.Number => Number.ToString(),
        ExprKind.Variable or ExprKind.Constant => Name,
        ExprKind.Function => $"{Name}({string.Join(", ", Args)})",
        ExprKind.Negate => $"-({Args[0]})",
        ExprKind.Factorial => $"({Args[0]})!",
        _ => $"({Args[0]} {Symbol(Kind)} {Args[1]})",
    };

    private static string Symbol(ExprKind kind) => kind switch
    {
        ExprKind.Add => "+",
        ExprKind.Subtract => "-",
        ExprKind.Multiply => "*",
        ExprKind.Divide => "/",
        _ => "^",
    };

    private static void Collect(Expr e, SortedSet<string> set)
    {
        if (e.Kind == ExprKind.Variable)
        {
            set.Add(e.Name);
        }
        foreach (var a in e.Args)
        {
            Collect(a, set);
        }
    }
}

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// The structure of a normalised answer: a scalar expression, a list (tuple, interval, set), a matrix, an
/// equation or inequality (chain), a multiple-choice letter, or free text. <see cref="Text"/> is the source text.
/// </summary>
public abstract record AnswerNode(string Text)
{
    /// <summary>Space-free, case-insensitive text: equal keys mean equal answers without further work.</summary>
    public string Key => Text.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}

/// <summary>A single value; <see cref="Expr"/> is null when the text could not be parsed as math.</summary>
public sealed record ScalarNode(string Text, Expr? Expr, bool Percent) : AnswerNode(Text)
{
    public override string ToString() => Expr?.ToString() ?? Text;
}

/// <summary>
/// Several values: an ordered tuple or interval (with its brackets, e.g. "[" and ")"), or an unordered
/// set (\{...\}, a bare comma list, a union, or the two values of \pm).
/// </summary>
public sealed record ListNode(string Text, IReadOnlyList<AnswerNode> Items, string Open, string Close, bool Ordered) : AnswerNode(Text)
{
    public override string ToString() => Ordered
        ? $"{Open}{string.Join(", ", Items)}{Close}"
        : $"{{{string.Join(", ", Items)}}}";
}

/// <summary>A matrix or vector: a pmatrix/bmatrix/array literal, or the value of a sum or product of them.</summary>
public sealed record MatrixNode(string Text, IReadOnlyList<IReadOnlyList<AnswerNode>> Rows) : AnswerNode(Text)
{
    public override string ToString() => "[" + string.Join("; ", Rows.Select(r => string.Join(", ", r))) + "]";
}

/// <summary>
/// An equation or inequality, possibly a chain ("1 &lt; x \leq 3", "x = 2 + 7 = 9"): Sides[i] Relations[i] Sides[i+1].
/// Relations are canonical: "=", "\approx", "&lt;", "&gt;", "\leq", "\geq", "\ne", "\in".
/// </summary>
public sealed record RelationNode(string Text, IReadOnlyList<AnswerNode> Sides, IReadOnlyList<string> Relations) : AnswerNode(Text)
{
    public RelationNode(string text, AnswerNode left, string relation, AnswerNode right) : this(text, [left, right], [relation])
    {
    }

    public AnswerNode Left => Sides[0];

    public AnswerNode Right => Sides[^1];

    /// <summary>The relation of a single (non-chain) relation, else null.</summary>
    public string? Relation => Relations.Count == 1 ? Relations[0] : null;

    /// <summary>"x = 3", "(a, b) = (4, 1)", "x = 2 + 7 = 9": a named left side given a value.</summary>
    public bool IsAssignment => Relations.All(r => r is "=" or "\\approx" or "\\in") && IsName(Left);

    /// <summary>Only "=" and "\approx": an equation or a chain of them.</summary>
    public bool IsEquation => Relations.All(r => r is "=" or "\\approx");

    /// <summary>The variable name when the left side is a lone variable ("x = 3"), else null.</summary>
    public string? LoneVariable => Left is ScalarNode { Expr: { Kind: ExprKind.Variable } v } ? v.Name : null;

    private static bool IsName(AnswerNode n) => n switch
    {
        ScalarNode { Expr: { Kind: ExprKind.Variable } } => true,
        ListNode l => l.Items.Count > 0 && l.Items.All(IsName),
        _ => false,
    };

    public override string ToString()
    {
        var parts = new List<string> { Sides[0].ToString()! };
        for (var i = 0; i < Relations.Count; i++)
        {
            parts.Add(Relations[i]);
            parts.Add(Sides[i + 1].ToString()!);
        }
        return string.Join(" ", parts);
    }
}

/// <summary>A multiple-choice letter: "C", "(C)", "\text{(C)}".</summary>
public sealed record ChoiceNode(string Text, char Letter) : AnswerNode(Text)
{
    public override string ToString() => $"({Letter})";
}

/// <summary>Free text (a name, a word): equal only by case-insensitive, space-free text.</summary>
public sealed record TextNode(string Text) : AnswerNode(Text)
{
    public override string ToString() => Text;
}

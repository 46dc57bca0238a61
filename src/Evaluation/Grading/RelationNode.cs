namespace EvalCluster.Evaluation.Grading;

/// <summary>An equation or inequality: left, relation ("=", "<", "\leq" ...), right.</summary>
public sealed record RelationNode(string Text, AnswerNode Left, string Relation, AnswerNode Right) : AnswerNode(Text)
{
    /// <summary>The variable name when the left side is a lone variable ("x = 3"), else null.</summary>
    public string? LoneVariable => Left is ScalarNode { Expr: { Kind: ExprKind.Variable } v } ? v.Name : null;

    public override string ToString() => $"{Left} {Relation} {Right}";
}

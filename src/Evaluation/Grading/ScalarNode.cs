namespace EvalCluster.Evaluation.Grading;

/// <summary>A single value; <see cref="Expr"/> is null when the text could not be parsed as math.</summary>
public sealed record ScalarNode(string Text, Expr? Expr, bool Percent) : AnswerNode(Text)
{
    public override string ToString() => Expr?.ToString() ?? Text;
}

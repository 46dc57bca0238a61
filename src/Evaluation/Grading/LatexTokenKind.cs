namespace EvalCluster.Evaluation.Grading;

/// <summary>Kinds of <see cref="LatexToken"/>.</summary>
public enum LatexTokenKind
{
    Number,
    Letter,
    Command,
    Symbol,
}

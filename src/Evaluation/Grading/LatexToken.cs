namespace EvalCluster.Evaluation.Grading;

/// <summary>A token of a LaTeX math expression: a number, a letter, a command (without backslash) or a symbol.</summary>
public readonly record struct LatexToken(LatexTokenKind Kind, string Text);

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// The structure of a normalised answer: a scalar expression, a list (tuple, interval, set), a matrix, an
/// equation or inequality, a multiple-choice letter, or free text. <see cref="Text"/> is the source text.
/// </summary>
public abstract record AnswerNode(string Text)
{
    /// <summary>Space-free, case-insensitive text: equal keys mean equal answers without further work.</summary>
    public string Key => Text.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}

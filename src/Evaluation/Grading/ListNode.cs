namespace EvalCluster.Evaluation.Grading;

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

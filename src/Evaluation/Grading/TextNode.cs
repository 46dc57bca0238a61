namespace EvalCluster.Evaluation.Grading;

/// <summary>Free text (a name, a word): equal only by case-insensitive, space-free text.</summary>
public sealed record TextNode(string Text) : AnswerNode(Text)
{
    public override string ToString() => Text;
}

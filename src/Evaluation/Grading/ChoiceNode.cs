namespace EvalCluster.Evaluation.Grading;

/// <summary>A multiple-choice letter: "C", "(C)", "\text{(C)}".</summary>
public sealed record ChoiceNode(string Text, char Letter) : AnswerNode(Text)
{
    public override string ToString() => $"({Letter})";
}

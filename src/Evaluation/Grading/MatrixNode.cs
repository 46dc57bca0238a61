namespace EvalCluster.Evaluation.Grading;

/// <summary>A matrix or vector from \begin{pmatrix} ... \end{pmatrix} (also bmatrix, matrix, vmatrix).</summary>
public sealed record MatrixNode(string Text, IReadOnlyList<IReadOnlyList<AnswerNode>> Rows) : AnswerNode(Text)
{
    public override string ToString() => "[" + string.Join("; ", Rows.Select(r => string.Join(", ", r))) + "]";
}

namespace EvalCluster.Evaluation;

/// <summary>
/// The one exception type the evaluation library throws for bad task files, datasets and run folders.
/// Its message is one line naming the file, line and field, and how to fix it.
/// </summary>
public sealed class EvaluationException : Exception
{
    public EvaluationException(string message) : base(message) { }

    public EvaluationException(string message, Exception inner) : base(message, inner) { }
}

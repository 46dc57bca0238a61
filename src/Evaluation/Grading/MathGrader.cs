namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Native math-equivalence grader: normalises both answers (<see cref="AnswerNormalizer"/>), parses their
/// structure (<see cref="AnswerStructure"/>) and compares them (<see cref="AnswerComparer"/>). Every
/// comparison runs under a time limit (default one second) through cancellation; a comparison that runs
/// out of time is graded unequal and flagged TimedOut.
/// </summary>
public sealed class MathGrader
{
    /// <summary>Answers longer than this are compared as normalised text only: no real answer is that long.</summary>
    public const int MaxParsedLength = 2000;

    public MathGrader(TimeSpan? timeLimit = null)
    {
        TimeLimit = timeLimit ?? TimeSpan.FromSeconds(1);
    }

    public static MathGrader Default { get; } = new();

    public TimeSpan TimeLimit { get; }

    /// <summary>True when <paramref name="prediction"/> is mathematically equivalent to <paramref name="gold"/>.</summary>
    public static bool AreEquivalent(string gold, string? prediction) => Default.Grade(gold, prediction).Equal;

    public GradeResult Grade(string gold, string? prediction, CancellationToken cancel = default)
    {
        if (prediction is null)
        {
            return new GradeResult(false, AnswerNormalizer.Normalize(gold), "");
        }
        var g = AnswerNormalizer.Normalize(gold, out var goldPercent);
        var p = AnswerNormalizer.Normalize(prediction, out var predictionPercent);
        if (g.Length > MaxParsedLength || p.Length > MaxParsedLength)
        {
            return new GradeResult(Key(g) == Key(p), g, p);
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(TimeLimit);
        AnswerNode? goldNode = null;
        AnswerNode? predictionNode = null;
        try
        {
            goldNode = AnswerStructure.Parse(g, goldPercent, limit.Token);
            predictionNode = AnswerStructure.Parse(p, predictionPercent, limit.Token);
            var equal = AnswerComparer.Equal(goldNode, predictionNode, limit.Token);
            return new GradeResult(equal, goldNode.ToString()!, predictionNode.ToString()!);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return new GradeResult(false, goldNode?.ToString() ?? g, predictionNode?.ToString() ?? p, TimedOut: true);
        }
    }

    private static string Key(string s) => s.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}

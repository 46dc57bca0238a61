using EvalCluster.Evaluation.Extraction;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// The verdict of one comparison with what each side was parsed as; TimedOut means graded unequal by the
/// time limit. GoldExtractor/PredictionExtractor name the extractor that found each answer in its text
/// (null when the texts were compared as answers, without extraction).
/// </summary>
public sealed record GradeResult(bool Equal, string GoldParsed, string PredictionParsed, bool TimedOut = false)
{
    public string? GoldExtractor { get; init; }

    public string? PredictionExtractor { get; init; }
}

/// <summary>
/// Native math-equivalence grader: normalises both answers (<see cref="AnswerNormalizer"/>), parses their
/// structure (<see cref="AnswerStructure"/>) and compares them (<see cref="AnswerComparer"/>), the gold
/// answer leading where the rules are one-sided (as Math-Verify's verify(gold, prediction) is). Every
/// comparison runs under a time limit (default one second) through cancellation; a comparison that runs
/// out of time is graded unequal and flagged TimedOut.
/// </summary>
public sealed class MathGrader
{
    /// <summary>Answers longer than this are compared as normalised text only: no real answer is that long.</summary>
    public const int MaxParsedLength = 2000;

    /// <summary>The extractor name reported when a gold text yields nothing and is used whole.</summary>
    public const string WholeText = "whole";

    public MathGrader(TimeSpan? timeLimit = null)
    {
        TimeLimit = timeLimit ?? TimeSpan.FromSeconds(1);
    }

    public static MathGrader Default { get; } = new();

    public TimeSpan TimeLimit { get; }

    /// <summary>True when <paramref name="prediction"/> is mathematically equivalent to <paramref name="gold"/>.</summary>
    public static bool AreEquivalent(string gold, string? prediction) => Default.Grade(gold, prediction).Equal;

    /// <summary>
    /// Math-Verify's verify(parse(gold), parse(prediction)): both texts (bare answers, $...$ or whole
    /// responses) go through the same extraction as a run, then the comparison. A gold text in which no
    /// extractor finds anything is compared whole; a prediction without an answer is unequal.
    /// </summary>
    public GradeResult GradeTexts(string gold, string? prediction, IReadOnlyList<string>? pipeline = null, CancellationToken cancel = default)
    {
        var g = AnswerExtractor.ExtractWithSource(gold, pipeline) ?? new ExtractedAnswer(gold.Trim(), WholeText);
        var p = prediction is null ? null : AnswerExtractor.ExtractWithSource(prediction, pipeline);
        return Grade(g.Answer, p?.Answer, cancel) with { GoldExtractor = g.Extractor, PredictionExtractor = p?.Extractor ?? "none" };
    }

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
            return new GradeResult(Key(g) == Key(p), Shorten(g), Shorten(p));
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

    // The parsed form is echoed in grade's output: a hostile 2 MB answer is not echoed whole.
    private static string Shorten(string s) => s.Length <= MaxParsedLength ? s : s[..MaxParsedLength] + "…";
}

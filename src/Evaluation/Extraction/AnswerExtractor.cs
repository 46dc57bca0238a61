namespace EvalCluster.Evaluation.Extraction;

/// <summary>An extracted final answer and the name of the extractor that found it.</summary>
public sealed record ExtractedAnswer(string Answer, string Extractor);

/// <summary>
/// Finds the final answer of a response the way Math-Verify does: strips a &lt;think&gt; block, then tries
/// the pipeline's extractors in order and returns the first answer found. Extractors:
/// "boxed" (last \boxed{}/\fbox{}, with boxes right before it joined), "answer_is" (final answer phrases in
/// several languages), "bare" (the whole text when it is a bare answer rather than prose), "math" (the
/// rightmost LaTeX math environment or plain-text number/expression), "latex" and "expr" (each half of
/// "math" alone), "gsm8k" ("#### ..."), "flexible" (the last number).
/// </summary>
public static class AnswerExtractor
{
    public static IReadOnlyList<string> Names { get; } = ["boxed", "answer_is", "bare", "math", "latex", "expr", "gsm8k", "flexible"];

    /// <summary>What runs and <c>grade</c> use unless a task file pins its own pipeline.</summary>
    public static IReadOnlyList<string> DefaultPipeline { get; } = ["boxed", "answer_is", "bare", "math"];

    /// <summary>The answer as text, or null when no extractor finds one.</summary>
    public static string? Extract(string response, IReadOnlyList<string>? pipeline = null) =>
        ExtractWithSource(response, pipeline)?.Answer;

    public static ExtractedAnswer? ExtractWithSource(string response, IReadOnlyList<string>? pipeline = null)
    {
        var text = StripThinking(response);
        foreach (var name in pipeline ?? DefaultPipeline)
        {
            var answer = name switch
            {
                "boxed" => BoxedExtractor.Extract(text),
                "answer_is" => AnswerPhraseExtractor.Extract(text),
                "bare" => PlainTextExtractors.Bare(text),
                "math" => MathSpanExtractor.LastMath(text),
                "latex" => MathSpanExtractor.LastLatex(text),
                "expr" => PlainTextExtractors.LastExpression(text),
                "gsm8k" => PlainTextExtractors.HashLine(text),
                "flexible" => PlainTextExtractors.LastNumber(text),
                _ => throw new ArgumentException($"unknown extractor '{name}'; known: {string.Join(", ", Names)}."),
            };
            if (!string.IsNullOrWhiteSpace(answer))
            {
                return new ExtractedAnswer(answer.Trim(), name);
            }
        }
        return null;
    }

    /// <summary>The text after the last &lt;/think&gt;; an unclosed &lt;think&gt; tag is dropped and its text kept.</summary>
    public static string StripThinking(string response)
    {
        var close = response.LastIndexOf("</think>", StringComparison.Ordinal);
        if (close >= 0)
        {
            return response[(close + "</think>".Length)..];
        }
        return response.Replace("<think>", "", StringComparison.Ordinal);
    }
}

namespace EvalCluster.Evaluation.Extraction;

/// <summary>
/// Finds the final answer of a response: strips a &lt;think&gt; block, then tries the task's extractors in
/// order: "boxed" (last \boxed{} / \fbox{} with balanced braces, also "\boxed x"), "answer_is" ("the answer
/// is ..."), "gsm8k" ("#### ..."), and "flexible" (the last number; kept separate because it is lenient).
/// </summary>
public static class AnswerExtractor
{
    public static IReadOnlyList<string> Names { get; } = ["boxed", "answer_is", "gsm8k", "flexible"];

    public static IReadOnlyList<string> DefaultPipeline { get; } = ["boxed", "answer_is"];

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
                "answer_is" => AnswerIsExtractor.Extract(text),
                "gsm8k" => HashAnswerExtractor.Extract(text),
                "flexible" => LastNumberExtractor.Extract(text),
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

using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Extraction;

/// <summary>
/// The "answer_is" extractor: the answer written after the last final-answer phrase ("the final answer
/// is", "final answer:"), else after the last answer phrase ("the answer is", "Answer:"), in English,
/// French, Spanish, Portuguese, Italian, German, Russian, Chinese and Japanese. After the phrase it takes,
/// as Math-Verify does, a \boxed{}, else LaTeX math starting within 50 characters, else the rest of the
/// sentence when it is a bare answer without words, else the first number or expression (after the last "=" when one
/// follows within 100 characters), else a short word answer.
/// </summary>
public static partial class AnswerPhraseExtractor
{
    private const int Window = 300;

    public static string? Extract(string text)
    {
        foreach (var phrases in (ReadOnlySpan<Regex>)[FinalAnswer(), Answer()])
        {
            var matches = phrases.Matches(text);
            for (var k = matches.Count - 1; k >= 0; k--)
            {
                var m = matches[k];
                if (After(text, m.Index + m.Length) is { Length: > 0 } answer)
                {
                    return answer;
                }
            }
        }
        return null;
    }

    private static string? After(string text, int from)
    {
        var rest = text.Substring(from, Math.Min(Window, text.Length - from)).TrimStart(' ', '\t', '\n', '\r', '*', ':', '：', '-', '—');
        var newline = rest.IndexOf('\n');
        var line = (newline < 0 ? rest : rest[..newline]).TrimEnd();
        if (line.StartsWith("\\boxed", StringComparison.Ordinal) || line.StartsWith("\\fbox", StringComparison.Ordinal))
        {
            return BoxedExtractor.Extract(line);
        }
        if (MathSpanExtractor.FirstLatex(line, 50) is { } latex)
        {
            return latex;
        }
        var sentence = Sentence(line);
        if (sentence.Length > 0 && StartsLikeMath(sentence) && PlainTextExtractors.Words(sentence) == 0)
        {
            return sentence;
        }
        var equals = line[..Math.Min(line.Length, 100)].LastIndexOf('=');
        var tail = equals >= 0 ? line[(equals + 1)..] : line[..Math.Min(line.Length, 60)];
        if (PlainTextExtractors.FirstExpression(" " + tail.TrimStart()) is { } number)
        {
            return number;
        }
        return sentence.Length is > 0 and <= 60 && PlainTextExtractors.Words(sentence) <= 2 ? sentence : null;
    }

    // Up to the end of the sentence: ". " or a final "." outside $...$; "3.5" keeps its point.
    private static string Sentence(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if ((line[i] == '.' || line[i] == '。') && (i + 1 == line.Length || char.IsWhiteSpace(line[i + 1])) && line[..i].Count(c => c == '$') % 2 == 0)
            {
                return line[..i].Trim();
            }
        }
        return line.Trim();
    }

    private static bool StartsLikeMath(string s) =>
        char.IsDigit(s[0]) || s[0] is '-' or '+' or '(' or '[' or '\\' or '{' or '.' or '|'
        || (char.IsLetter(s[0]) && (s.Length == 1 || !char.IsLetter(s[1])));

    [GeneratedRegex(@"final\s+answer(?:[^\n.]{0,100}?\s+is)?\s*:?|r[ée]ponse\s+finale\s*(?:est|:)|r[ée]sultat\s+final\s+est|respuesta\s+final\s*(?:es|:)|resposta\s+final\s*(?:[ée]|:)|risposta\s+finale\s*(?:[èe]|:)|endg[üu]ltige\s+antwort\s*(?:ist|lautet|:)|окончательный\s+ответ\s*(?:[:—-]|равен)?|最终答案\s*(?:是|为|[:：])?", RegexOptions.IgnoreCase)]
    private static partial Regex FinalAnswer();

    [GeneratedRegex(@"\banswer\s*(?:is|:|=)|\bthe\s+answer\s+(?:is|=)|r[ée]ponse\s*(?:est|:)|respuesta\s*(?:es|:)|resposta\s*(?:[ée]|:)|risposta\s*(?:[èe]|:)|antwort\s*(?:ist|lautet|:)|ответ\s*(?::|равен|—)|答案\s*(?:是|为|[:：])|答えは", RegexOptions.IgnoreCase)]
    private static partial Regex Answer();
}

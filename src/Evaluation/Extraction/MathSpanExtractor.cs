using System.Text;
using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Extraction;

/// <summary>
/// LaTeX math in running text: <c>$...$</c> (one line, not right after a digit, so "$5 and $6" is money),
/// <c>$$...$$</c>, <c>\(...\)</c>, <c>\[...\]</c>, <c>\begin{align}</c>/<c>equation</c>/<c>gather</c>
/// (rows joined into one chain), and a plain <c>\frac{n}{m}</c> outside them. "latex" takes the last one,
/// with the ones right before it joined when only "and", "or" or a comma separates them ("$x=2$ or $x=5$"),
/// and a percent written after it kept. "math" takes whichever ends last: that LaTeX or the last plain-text
/// number/expression (<see cref="PlainTextExtractors.LastExpression"/>), as Math-Verify ranks them equally.
/// </summary>
public static partial class MathSpanExtractor
{
    private const int MaxJoined = 6;
    private static readonly string[] s_environments = ["align", "align*", "equation", "equation*", "gather", "gather*", "eqnarray", "eqnarray*", "multline", "multline*"];

    /// <summary>One piece of math: [Start, End) in the text and its content, with "\%" added when a percent followed it.</summary>
    public readonly record struct MathSpan(int Start, int End, string Content);

    public static string? LastLatex(string text)
    {
        var spans = Spans(text);
        if (spans.Count == 0)
        {
            return null;
        }
        var k = spans.Count - 1;
        var parts = new List<string> { spans[k].Content };
        while (parts.Count < MaxJoined && k > 0 && Connector().IsMatch(text.AsSpan(spans[k - 1].End, spans[k].Start - spans[k - 1].End)))
        {
            k--;
            parts.Insert(0, spans[k].Content);
        }
        return Join(parts);
    }

    /// <summary>The first LaTeX starting within <paramref name="within"/> characters, with the ones joined after it.</summary>
    public static string? FirstLatex(string text, int within)
    {
        var spans = Spans(text);
        if (spans.Count == 0 || spans[0].Start > within)
        {
            return null;
        }
        var parts = new List<string> { spans[0].Content };
        for (var k = 1; k < spans.Count && parts.Count < MaxJoined && Connector().IsMatch(text.AsSpan(spans[k - 1].End, spans[k].Start - spans[k - 1].End)); k++)
        {
            parts.Add(spans[k].Content);
        }
        return Join(parts);
    }

    public static string? LastMath(string text)
    {
        var spans = Spans(text);
        var plain = PlainTextExtractors.LastExpressionMatch(Mask(text, spans));
        if (plain is { } p && (spans.Count == 0 || p.End > spans[^1].End))
        {
            return p.Content;
        }
        return spans.Count == 0 ? null : LastLatex(text);
    }

    /// <summary>All math spans in text order; linear in the text length.</summary>
    public static List<MathSpan> Spans(string text)
    {
        var spans = new List<MathSpan>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                i = Backslash(text, i, spans);
            }
            else if (c == '$')
            {
                i = Dollar(text, i, spans);
            }
            else
            {
                i++;
            }
        }
        AddPlainFractions(text, spans);
        return spans;
    }

    private static int Backslash(string text, int i, List<MathSpan> spans)
    {
        var next = text[i + 1];
        if (next is '(' or '[')
        {
            var closer = next == '(' ? "\\)" : "\\]";
            var close = text.IndexOf(closer, i + 2, StringComparison.Ordinal);
            if (close < 0 || (next == '(' && text.AsSpan(i + 2, close - i - 2).Contains('\n')))
            {
                return i + 2;
            }
            return Add(text, spans, i, close + 2, text[(i + 2)..close]);
        }
        if (string.CompareOrdinal(text, i, "\\begin{", 0, 7) == 0)
        {
            var nameEnd = text.IndexOf('}', i + 7);
            var name = nameEnd < 0 ? "" : text[(i + 7)..nameEnd];
            if (Array.IndexOf(s_environments, name) >= 0)
            {
                var end = "\\end{" + name + "}";
                var close = text.IndexOf(end, nameEnd + 1, StringComparison.Ordinal);
                if (close >= 0)
                {
                    return Add(text, spans, i, close + end.Length, Rows(text[(nameEnd + 1)..close]));
                }
            }
        }
        // An escaped character (\$, \\) is never a delimiter.
        return i + 2;
    }

    private static int Dollar(string text, int i, List<MathSpan> spans)
    {
        if (i + 1 < text.Length && text[i + 1] == '$')
        {
            var close = NextUnescaped(text, "$$", i + 2, stopAtNewline: false);
            return close < 0 ? i + 2 : Add(text, spans, i, close + 2, text[(i + 2)..close]);
        }
        if (i > 0 && char.IsDigit(text[i - 1]))
        {
            return i + 1;
        }
        var end = NextUnescaped(text, "$", i + 1, stopAtNewline: true);
        return end < 0 ? i + 1 : Add(text, spans, i, end + 1, text[(i + 1)..end]);
    }

    private static int NextUnescaped(string text, string delimiter, int from, bool stopAtNewline)
    {
        for (var j = from; j < text.Length; j++)
        {
            if (text[j] == '\n' && stopAtNewline)
            {
                return -1;
            }
            if (text[j] == '\\')
            {
                j++;
                continue;
            }
            if (string.CompareOrdinal(text, j, delimiter, 0, delimiter.Length) == 0)
            {
                return j;
            }
        }
        return -1;
    }

    private static int Add(string text, List<MathSpan> spans, int start, int end, string content)
    {
        // "$\sqrt{2},$ or $1.41$": punctuation written inside the delimiters belongs to the sentence.
        content = content.Trim();
        while (content.Length > 0 && content[^1] is ',' or ';' or '.' && (content.Length < 2 || content[^2] != '\\'))
        {
            content = content[..^1].TrimEnd();
        }
        if (content.Length > 0)
        {
            var percent = Percent().Match(text, end);
            spans.Add(percent.Success
                ? new MathSpan(start, end + percent.Length, content + "\\%")
                : new MathSpan(start, end, content));
        }
        return end;
    }

    // "p &= \frac{4}{6} \\ &= \frac{2}{3}" is one chain: "p = \frac{4}{6} = \frac{2}{3}".
    private static string Rows(string body)
    {
        var s = Whitespace().Replace(body.Replace("\\\\", " ", StringComparison.Ordinal).Replace("&", "", StringComparison.Ordinal)
            .Replace("\\nonumber", "", StringComparison.Ordinal), " ").Trim();
        return s.StartsWith('=') ? s[1..].Trim() : s;
    }

    private static void AddPlainFractions(string text, List<MathSpan> spans)
    {
        if (!text.Contains("\\frac", StringComparison.Ordinal))
        {
            return;
        }
        // Spans are in text order and do not overlap: one sweep finds the fractions outside them.
        var found = new List<MathSpan>();
        var k = 0;
        foreach (Match m in PlainFraction().Matches(text))
        {
            while (k < spans.Count && spans[k].End <= m.Index)
            {
                k++;
            }
            if (k == spans.Count || m.Index < spans[k].Start)
            {
                found.Add(new MathSpan(m.Index, m.Index + m.Length, m.Value));
            }
        }
        if (found.Count > 0)
        {
            spans.AddRange(found);
            spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        }
    }

    private static string Mask(string text, List<MathSpan> spans)
    {
        if (spans.Count == 0)
        {
            return text;
        }
        var sb = new StringBuilder(text);
        foreach (var s in spans)
        {
            for (var j = s.Start; j < s.End && j < sb.Length; j++)
            {
                sb[j] = ' ';
            }
        }
        return sb.ToString();
    }

    private static string Join(List<string> parts) => string.Join(", ", parts);

    [GeneratedRegex(@"\G[ \t]*(?:\\?%|percentage\b|percent\b|pct\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Percent();

    [GeneratedRegex(@"^\s*(?:,?\s*(?:and|or)|,|;)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Connector();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"-?\\[dt]?frac\{-?\d+(?:[.,]\d+)?\}\{-?\d+(?:[.,]\d+)?\}")]
    private static partial Regex PlainFraction();
}

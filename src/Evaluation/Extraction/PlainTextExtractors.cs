using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Extraction;

/// <summary>
/// Extractors for answers written without LaTeX delimiters: "bare" (the whole text is the answer), "expr"
/// (the last plain number or arithmetic expression, Math-Verify's rules: it starts after a space, "=" or a
/// currency sign; thousands separators, decimal commas and a trailing percent are kept for the grader to
/// read), "gsm8k" ("#### N") and "flexible" (the last number, lenient on what precedes it).
/// </summary>
public static partial class PlainTextExtractors
{
    /// <summary>Only this much of the end of a text is searched for a plain expression: answers come last.</summary>
    public const int ExpressionWindow = 4000;

    private const int MaxBareLength = 300;
    private static readonly HashSet<string> s_mathWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "log", "ln", "exp", "sqrt",
        "pi", "inf", "infty", "det", "gcd", "lcm", "mod", "max", "min", "and", "or",
    };

    /// <summary>The whole text when it reads as an answer rather than prose: one line, no math delimiters (an escaped \$ is money), at most one word.</summary>
    public static string? Bare(string text)
    {
        var s = text.Trim();
        if (s.Length == 0 || s.Length > MaxBareLength || s.Contains('\n') || s.Replace("\\$", "", StringComparison.Ordinal).Contains('$')
            || s.Contains("\\(", StringComparison.Ordinal) || s.Contains("\\[", StringComparison.Ordinal) || s.Contains("\\begin{align", StringComparison.Ordinal))
        {
            return null;
        }
        return Words(s) <= 1 ? s : null;
    }

    /// <summary>Words of two or more letters outside LaTeX commands, \text{} groups and \begin{}/\end{}, not counting function names.</summary>
    public static int Words(string s)
    {
        var plain = Commands().Replace(TextGroups().Replace(s, " "), " ");
        return Word().Matches(plain).Count(m => !s_mathWords.Contains(m.Value));
    }

    public static string? LastExpression(string text) => LastExpressionMatch(text)?.Content;

    /// <summary>The first plain number/expression in the text, or null.</summary>
    public static string? FirstExpression(string text)
    {
        foreach (Match m in Candidate().Matches(text))
        {
            if (Read(text, m) is { } c)
            {
                return c.Content;
            }
        }
        return null;
    }

    /// <summary>The plain number/expression that ends last, with its end offset.</summary>
    public static MathSpanExtractor.MathSpan? LastExpressionMatch(string text)
    {
        var offset = Math.Max(0, text.Length - ExpressionWindow);
        var window = offset == 0 ? text : text[offset..];
        MathSpanExtractor.MathSpan? last = null;
        foreach (Match m in Candidate().Matches(window))
        {
            if (Read(window, m) is { } c)
            {
                last = c with { Start = c.Start + offset, End = c.End + offset };
            }
        }
        return last;
    }

    /// <summary>GSM8K style: the rest of the line after the last "####", thousands separators removed.</summary>
    public static string? HashLine(string text)
    {
        var i = text.LastIndexOf("####", StringComparison.Ordinal);
        if (i < 0)
        {
            return null;
        }
        var rest = text[(i + 4)..];
        var end = rest.IndexOf('\n');
        var line = (end < 0 ? rest : rest[..end]).Trim();
        return line.Replace(",", "", StringComparison.Ordinal).TrimEnd('.');
    }

    /// <summary>The "flexible" fallback: the last number in the text (sign, thousands separators and decimals kept).</summary>
    public static string? LastNumber(string text)
    {
        var matches = LooseNumber().Matches(text.Length <= ExpressionWindow ? text : text[^ExpressionWindow..]);
        return matches.Count == 0 ? null : matches[^1].Value.Replace(",", "", StringComparison.Ordinal);
    }

    // A candidate run is cut down to one number ("12 500", "3,75", "1,234.5") or one expression ("6/3",
    // "(2+3)*4"); a run of several numbers ("3, 4") yields its last number.
    private static MathSpanExtractor.MathSpan? Read(string text, Match m)
    {
        var value = m.Value.TrimEnd(' ', '\t', '.', ',', '+', '-', '*', '/', '^', '(', '×', '÷');
        value = BalanceParentheses(value);
        if (value.Length == 0 || !value.Any(char.IsDigit))
        {
            return null;
        }
        var start = m.Index;
        if (!Number().IsMatch(value) && !IsExpression(value))
        {
            var numbers = InnerNumber().Matches(value);
            if (numbers.Count == 0)
            {
                return null;
            }
            var n = numbers[^1];
            start = m.Index + n.Index;
            value = n.Value;
        }
        var end = start + value.Length;
        var percent = Percent().Match(text, end);
        return percent.Success
            ? new MathSpanExtractor.MathSpan(start, end + percent.Length, value + "%")
            : new MathSpanExtractor.MathSpan(start, end, value);
    }

    // An expression has an operator between digits: "6/3", "2^{10}" is LaTeX, "-5" is a number.
    private static bool IsExpression(string s) =>
        s.Length > 1 && s.Skip(1).Any(c => c is '+' or '-' or '*' or '/' or '^' or '×' or '÷') && !s.Contains(", ", StringComparison.Ordinal);

    private static string BalanceParentheses(string s)
    {
        var open = s.Count(c => c == '(');
        var close = s.Count(c => c == ')');
        while (close > open && s.EndsWith(')'))
        {
            s = s[..^1];
            close--;
        }
        if (open > close && s.StartsWith('('))
        {
            s = s[1..];
        }
        return s.Trim();
    }

    [GeneratedRegex(@"(?<=^|[\s=*$€£¥₹(:])-?\(?-?\.?\d[\d., \t\u202F\u2009+\-*/^()×÷]*")]
    private static partial Regex Candidate();

    [GeneratedRegex(@"^-?(?:[1-9]\d{0,2}(?:[, \u202F\u2009]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)$")]
    private static partial Regex Number();

    [GeneratedRegex(@"-?(?:\d+(?:\.\d+)?|\.\d+)")]
    private static partial Regex InnerNumber();

    [GeneratedRegex(@"\G[ \t]*(?:%|percentage\b|percent\b|pct\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Percent();

    [GeneratedRegex(@"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\.\d+")]
    private static partial Regex LooseNumber();

    [GeneratedRegex(@"\\(?:text|textbf|textit|mathrm|mbox|operatorname|begin|end)\s*\{[^{}]*\}")]
    private static partial Regex TextGroups();

    [GeneratedRegex(@"\\[a-zA-Z]+")]
    private static partial Regex Commands();

    [GeneratedRegex(@"[^\W\d_]{2,}")]
    private static partial Regex Word();
}

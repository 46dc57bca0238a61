using System.Text;
using System.Text.RegularExpressions;
using EvalCluster.Evaluation.Extraction;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// The Hendrycks/Minerva normalisation rules on answer text: math delimiters, \left \right, spacing
/// commands, \text{} and units, degrees, \dfrac/\tfrac, percent, thousands separators, trailing dots, and
/// the \frac12 / \sqrt2 shorthands. Applying it twice changes nothing.
/// </summary>
public static partial class AnswerNormalizer
{
    private static readonly (string From, string To)[] s_replacements =
    [
        ("\\dfrac", "\\frac"), ("\\tfrac", "\\frac"), ("\\cfrac", "\\frac"), ("\\dbinom", "\\binom"), ("\\tbinom", "\\binom"),
        ("\\left.", ""), ("\\right.", ""), ("\\displaystyle", ""), ("\\!", ""), ("\\,", " "), ("\\;", " "), ("\\:", " "), ("\\qquad", " "),
        ("\\quad", " "), ("\\thinspace", " "), ("\u00A0", " "), ("\u2009", " "), ("\u202F", " "), ("~", " "), ("{,}", ""), ("\\$", ""), ("$", ""),
        ("\\%", "%"), ("−", "-"), ("×", "\\times "), ("·", "\\cdot "), ("π", "\\pi "), ("∞", "\\infty "), ("√", "\\sqrt"),
        ("±", "\\pm "), ("€", ""), ("£", ""), ("¥", ""), ("₹", ""), ("²", "^2"), ("³", "^3"), ("\\infinity", "\\infty"),
        ("≈", "\\approx "),
    ];

    // Every spelling of a relation, to one canonical form: LaTeX commands, ASCII and Unicode.
    private static readonly (Regex Pattern, string To)[] s_relations =
    [
        (GreaterOrEqual(), "\\geq "), (LessOrEqual(), "\\leq "), (NotEqual(), "\\ne "), (LessThan(), "<"), (GreaterThan(), ">"),
    ];

    public static string Normalize(string text) => Normalize(text, out _);

    /// <summary>Normalises <paramref name="text"/>; <paramref name="percent"/> tells whether a percent sign was removed.</summary>
    public static string Normalize(string text, out bool percent)
    {
        var s = text.Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ').Trim();
        s = Unbox(s);
        s = StripDelimiters(s);
        foreach (var (from, to) in s_replacements)
        {
            s = s.Replace(from, to, StringComparison.Ordinal);
        }
        foreach (var (pattern, to) in s_relations)
        {
            s = pattern.Replace(s, to);
        }
        s = BackslashSpace().Replace(s, " ");
        s = Sizing().Replace(s, "");
        s = Degrees().Replace(s, "");
        s = PercentWord().Replace(s, "%");
        percent = s.Contains('%');
        s = s.Replace("%", "", StringComparison.Ordinal);
        s = Conjunction().Replace(s, ",");
        s = AtEnd(TrailingUnitCommand(), s);
        s = UnwrapTextCommands(s);
        s = AtEnd(TrailingUnitWord(), s);
        s = TrailingWords().Replace(s, "$1");
        s = Shorthands.Fix(s);
        s = SimpleSubscript().Replace(s, "_$1");
        s = MixedNumber(s);
        s = Spaces().Replace(s, " ").Trim();
        s = s.TrimEnd('.', ' ', ',', ';').Trim();
        if (ThousandsNumber().IsMatch(s))
        {
            s = s.Replace(",", "", StringComparison.Ordinal);
        }
        if (s.Contains(' '))
        {
            s = SpacedThousands().Replace(s, m => m.Value.Replace(" ", "", StringComparison.Ordinal));
        }
        if (s.Contains('.'))
        {
            s = LeadingDot().Replace(s, "0.");
        }
        return s;
    }

    /// <summary>The normalised text without spaces: a key for voting and for exact comparison.</summary>
    public static string Key(string text) => Normalize(text).Replace(" ", "", StringComparison.Ordinal);

    // The unit patterns are anchored at the end; matched on the tail only, a hostile megabyte costs nothing.
    private static string AtEnd(Regex unit, string s)
    {
        const int tail = 200;
        if (s.Length <= tail)
        {
            return unit.Replace(s, "$1");
        }
        var cut = s.Length - tail;
        return string.Concat(s.AsSpan(0, cut), unit.Replace(s[cut..], "$1"));
    }

    private static string Unbox(string s)
    {
        foreach (var command in new[] { "\\boxed{", "\\fbox{" })
        {
            if (s.StartsWith(command, StringComparison.Ordinal))
            {
                var close = Braces.MatchingClose(s, command.Length - 1);
                if (close == s.Length - 1)
                {
                    return s[command.Length..^1].Trim();
                }
            }
        }
        return s;
    }

    private static string StripDelimiters(string s)
    {
        foreach (var (open, close) in new[] { ("\\[", "\\]"), ("\\(", "\\)") })
        {
            if (s.StartsWith(open, StringComparison.Ordinal) && s.EndsWith(close, StringComparison.Ordinal) && s.Length >= 4)
            {
                s = s[2..^2].Trim();
            }
        }
        return s;
    }

    // \text{abc} -> abc, also \textbf \mathrm \mathbf \mbox \operatorname, with balanced braces.
    private static string UnwrapTextCommands(string s)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            var m = TextCommand().Match(s, i);
            if (!m.Success)
            {
                sb.Append(s, i, s.Length - i);
                break;
            }
            sb.Append(s, i, m.Index - i);
            var open = m.Index + m.Length - 1;
            var close = Braces.MatchingClose(s, open);
            if (close < 0)
            {
                sb.Append(s, m.Index, s.Length - m.Index);
                break;
            }
            sb.Append(s, open + 1, close - open - 1);
            i = close + 1;
        }
        return sb.ToString();
    }

    /// <summary>"4\frac{2}{3}" and "4 2/3" as a whole answer (or list item) are mixed numbers, not products.</summary>
    public static string MixedNumber(string s)
    {
        var m = MixedFrac().Match(s);
        if (!m.Success)
        {
            m = MixedSlash().Match(s);
        }
        if (!m.Success)
        {
            return s;
        }
        var sum = $"({m.Groups[2].Value}+\\frac{{{m.Groups[3].Value}}}{{{m.Groups[4].Value}}})";
        return m.Groups[1].Value == "-" ? "-" + sum : sum;
    }

    // \left \right \big \Bigl ... but not \leftarrow or \bigcup.
    [GeneratedRegex(@"\\(?:left|right|[Bb]igg?[lr]?)(?![a-zA-Z])")]
    private static partial Regex Sizing();

    [GeneratedRegex(@"\^\s*\{\s*\\circ\s*\}|\^\s*\\circ|\^\s*\{\s*\\degree\s*\}|\^\s*\\degree|\\circ|\\degree|°")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"\\(?:text|textbf|textit|mathrm|mathbf|mbox|operatorname|mathit|textnormal)\s*\{")]
    private static partial Regex TextCommand();

    [GeneratedRegex(@"\s*(?:\\text\s*\{\s*(?:and|or)\s*\}|\s+and\s+|\s+or\s+)\s*")]
    private static partial Regex Conjunction();

    // A unit in \text{}, \mathrm{} or \mbox{} after a number or closing bracket: "5\text{ cm}", "6.5 \mathrm{~m}^2".
    [GeneratedRegex(@"([\d}\)\]])\s*\\(?:text|textbf|textit|textrm|textnormal|mathrm|mbox)\s*\{\s*[a-zA-Z][a-zA-Z\s\.\-/]*\}(?:\^\{?\d\}?)?\s*$")]
    private static partial Regex TrailingUnitCommand();

    // Short units need a space before them: "2m" may be an expression, "2 m" is a length.
    [GeneratedRegex(@"(\d)(?:\s*(?:units?|square units|sq units|inches|inch|feet|foot|yards?|miles?|meters?|metres?|centimeters?|kilometers?|kilograms?|grams?|liters?|litres?|degrees?|dollars?|cents?|seconds?|minutes?|hours?|days?|weeks?|years?|mph|pounds?|ounces?|people|students|ways|points?|km/h|m/s|km|cm|mm|kg|mg|ml)|\s+(?:m|g|s|l|in|ft|h|min|euros?|rupees?))(?:\^\{?\d\}?)?\.?$")]
    private static partial Regex TrailingUnitWord();

    [GeneratedRegex(@"\\geqslant(?![a-zA-Z])|\\geq(?![a-zA-Z])|\\ge(?![a-zA-Z])|>=|≥|⩾")]
    private static partial Regex GreaterOrEqual();

    [GeneratedRegex(@"\\leqslant(?![a-zA-Z])|\\leq(?![a-zA-Z])|\\le(?![a-zA-Z])|<=|≤|⩽")]
    private static partial Regex LessOrEqual();

    [GeneratedRegex(@"\\neq(?![a-zA-Z])|\\ne(?![a-zA-Z])|\\not\s*=|!=|≠")]
    private static partial Regex NotEqual();

    [GeneratedRegex(@"\\lt(?![a-zA-Z])")]
    private static partial Regex LessThan();

    [GeneratedRegex(@"\\gt(?![a-zA-Z])")]
    private static partial Regex GreaterThan();

    [GeneratedRegex(@"(?<=\d)\s*(?:percentage|percent|pct)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PercentWord();

    // A number followed by one to three words ("12 apples", "3,75 euros"): the words are a unit.
    [GeneratedRegex(@"^(-?[\d.,]*\d)\s+[a-zA-Z]{3,}(?:\s+[a-zA-Z]{3,}){0,2}\.?$")]
    private static partial Regex TrailingWords();

    [GeneratedRegex(@"(?<!\\)\\ ")]
    private static partial Regex BackslashSpace();

    [GeneratedRegex(@"_\{\s*([0-9a-zA-Z]+)\s*\}")]
    private static partial Regex SimpleSubscript();

    [GeneratedRegex(@"^(-?)\s*(\d+)\s*\\frac\{(\d+)\}\{(\d+)\}$")]
    private static partial Regex MixedFrac();

    [GeneratedRegex(@"^(-?)(\d+)\s+(\d+)\s*/\s*(\d+)$")]
    private static partial Regex MixedSlash();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex ThousandsNumber();

    [GeneratedRegex(@"(?<![\d,.])\d{1,3}(?: \d{3})+(?![\d.,])")]
    private static partial Regex SpacedThousands();

    [GeneratedRegex(@"(?<!\d)\.(?=\d)")]
    private static partial Regex LeadingDot();
}

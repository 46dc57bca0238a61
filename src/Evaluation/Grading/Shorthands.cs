using System.Text;
using EvalCluster.Evaluation.Extraction;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Braces the unbraced single-token arguments of \frac and \sqrt as LaTeX reads them: "\frac12" is
/// \frac{1}{2}, "\frac\pi2" is \frac{\pi}{2}, "\frac{\sqrt3}2" is \frac{\sqrt{3}}{2}, "\sqrt x" is
/// \sqrt{x}. One deliberate leniency: "\sqrt13" is \sqrt{13} (models mean that; LaTeX would render
/// \sqrt{1}3). One pass, linear in the text: argument positions to brace are noted and filled in as the
/// scan reaches them, so arguments nested in braces are fixed too.
/// </summary>
public static class Shorthands
{
    // A braced argument is searched for its closing brace this far; beyond it nothing is braced.
    private const int MaxArgumentLength = 4000;

    public static string Fix(string s)
    {
        if (!s.Contains("\\frac", StringComparison.Ordinal) && !s.Contains("\\sqrt", StringComparison.Ordinal))
        {
            return s;
        }
        var wrap = new Dictionary<int, bool>();
        var sb = new StringBuilder(s.Length + 16);
        var i = 0;
        while (i < s.Length)
        {
            if (wrap.TryGetValue(i, out var digits))
            {
                var length = TokenLength(s, i, digits);
                sb.Append('{').Append(s, i, length).Append('}');
                i += length;
                continue;
            }
            if (IsCommand(s, i, "\\frac") || IsCommand(s, i, "\\sqrt"))
            {
                var frac = s[i + 1] == 'f';
                sb.Append(s, i, 5);
                i += 5;
                var first = SkipSpaces(s, i);
                if (!frac && first < s.Length && s[first] == '[')
                {
                    var close = s.IndexOf(']', first);
                    first = close < 0 ? s.Length : SkipSpaces(s, close + 1);
                }
                var next = Argument(s, first, wrap, digits: !frac);
                if (frac && next >= 0)
                {
                    Argument(s, SkipSpaces(s, next), wrap, digits: false);
                }
                continue;
            }
            sb.Append(s[i]);
            i++;
        }
        return sb.ToString();
    }

    // Notes the argument at `at` for bracing when it is unbraced; returns where the next argument starts, or -1.
    private static int Argument(string s, int at, Dictionary<int, bool> wrap, bool digits)
    {
        if (at >= s.Length)
        {
            return -1;
        }
        if (s[at] == '{')
        {
            var close = Braces.MatchingClose(s.Length - at > MaxArgumentLength ? s[..(at + MaxArgumentLength)] : s, at);
            return close < 0 ? -1 : close + 1;
        }
        var length = TokenLength(s, at, digits);
        if (length == 0)
        {
            return -1;
        }
        wrap[at] = digits;
        return at + length;
    }

    // A command (\pi), a digit (all digits for \sqrt's lenient reading) or a letter.
    private static int TokenLength(string s, int at, bool digits)
    {
        var c = s[at];
        if (c == '\\')
        {
            var end = at + 1;
            while (end < s.Length && char.IsLetter(s[end]))
            {
                end++;
            }
            return end > at + 1 ? end - at : 0;
        }
        if (char.IsDigit(c))
        {
            var end = at + 1;
            while (digits && end < s.Length && char.IsDigit(s[end]))
            {
                end++;
            }
            return end - at;
        }
        return char.IsLetter(c) ? 1 : 0;
    }

    private static bool IsCommand(string s, int i, string command) =>
        string.CompareOrdinal(s, i, command, 0, command.Length) == 0 && (i + command.Length >= s.Length || !char.IsLetter(s[i + command.Length]));

    private static int SkipSpaces(string s, int i)
    {
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
        return i;
    }
}

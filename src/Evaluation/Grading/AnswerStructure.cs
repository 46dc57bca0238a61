using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Parses normalised answer text into an <see cref="AnswerNode"/>: \pm expands into a two-value set;
/// matrices; unions; \{sets\}; bracketed tuples and intervals; bare comma lists (unordered); relations;
/// multiple-choice letters; free text (a run of three or more letters outside commands); else a scalar.
/// </summary>
public static partial class AnswerStructure
{
    private static readonly string[] s_relations = ["\\in", "\\leq", "\\geq", "\\ne", "<", ">", "="];

    public static AnswerNode Parse(string text, bool percent, CancellationToken cancel, int depth = 0)
    {
        cancel.ThrowIfCancellationRequested();
        var s = text.Trim();
        if (depth > 20)
        {
            return new TextNode(s);
        }
        foreach (var pm in new[] { "\\pm", "\\mp" })
        {
            var i = s.IndexOf(pm, StringComparison.Ordinal);
            if (i >= 0 && (i + pm.Length >= s.Length || !char.IsLetter(s[i + pm.Length])))
            {
                var plus = s[..i] + (pm == "\\pm" ? "+" : "-") + s[(i + pm.Length)..];
                var minus = s[..i] + (pm == "\\pm" ? "-" : "+") + s[(i + pm.Length)..];
                return new ListNode(s, [Parse(plus, percent, cancel, depth + 1), Parse(minus, percent, cancel, depth + 1)], "", "", Ordered: false);
            }
        }
        if (Matrix().Match(s) is { Success: true } m)
        {
            var rows = TopLevel.Split(m.Groups[2].Value, "\\\\").Where(r => r.Trim().Length > 0)
                .Select(r => (IReadOnlyList<AnswerNode>)[.. r.Split('&').Select(c => Parse(c, percent, cancel, depth + 1))]).ToList();
            return new MatrixNode(s, rows);
        }
        var union = TopLevel.Split(s, "\\cup");
        if (union.Count > 1)
        {
            return new ListNode(s, [.. union.Select(u => Parse(u, percent, cancel, depth + 1))], "", "", Ordered: false);
        }
        if (s.StartsWith("\\{", StringComparison.Ordinal) && s.EndsWith("\\}", StringComparison.Ordinal) && TopLevel.Split(s[2..^2], "\\}").Count == 1)
        {
            return List(s, s[2..^2], "", "", ordered: false, percent, cancel, depth);
        }
        if (TopLevel.Encloses(s) && (s[^1] == ')' || s[^1] == ']') && TopLevel.Split(s[1..^1], ",").Count > 1)
        {
            return List(s, s[1..^1], s[..1], s[^1..], ordered: true, percent, cancel, depth);
        }
        var items = TopLevel.Split(s, ",").SelectMany(p => TopLevel.Split(p, ";")).ToList();
        if (items.Count > 1)
        {
            return new ListNode(s, [.. items.Select(p => Parse(p, percent, cancel, depth + 1))], "", "", Ordered: false);
        }
        foreach (var relation in s_relations)
        {
            var i = TopLevel.IndexOf(s, relation);
            if (i > 0 && i + relation.Length < s.Length)
            {
                return new RelationNode(s, Parse(s[..i], percent, cancel, depth + 1), relation, Parse(s[(i + relation.Length)..], percent, cancel, depth + 1));
            }
        }
        if (Choice().Match(s) is { Success: true } c)
        {
            return new ChoiceNode(s, c.Groups[1].Value[0]);
        }
        if (Word().IsMatch(Commands().Replace(s, " ")))
        {
            return new TextNode(s);
        }
        return new ScalarNode(s, LatexParser.TryParse(s, cancel), percent);
    }

    private static ListNode List(string s, string inner, string open, string close, bool ordered, bool percent, CancellationToken cancel, int depth) =>
        new(s, [.. TopLevel.Split(inner, ",").Select(p => Parse(p, percent, cancel, depth + 1))], open, close, ordered);

    [GeneratedRegex(@"^\\begin\{([pbvB]?matrix|array)\}(?:\{[^{}]*\})?(.*)\\end\{\1\}$", RegexOptions.Singleline)]
    private static partial Regex Matrix();

    [GeneratedRegex(@"^\(?([A-E])\)?$")]
    private static partial Regex Choice();

    [GeneratedRegex(@"[a-zA-Z]{3,}")]
    private static partial Regex Word();

    [GeneratedRegex(@"\\[a-zA-Z]+")]
    private static partial Regex Commands();
}

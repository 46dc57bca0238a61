using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Grading;

/// <summary>
/// Parses normalised answer text into an <see cref="AnswerNode"/>: \pm expands into a two-value set;
/// matrices (also an array in brackets, and sums/products of matrices, evaluated); unions; \{sets\};
/// bracketed tuples and intervals; bare comma lists (unordered); relations and relation chains;
/// multiple-choice letters; free text (a run of three or more letters outside commands); else a scalar.
/// </summary>
public static partial class AnswerStructure
{
    private const int MaxDepth = 20;

    public static AnswerNode Parse(string text, bool percent, CancellationToken cancel, int depth = 0)
    {
        cancel.ThrowIfCancellationRequested();
        var s = text.Trim();
        if (depth > MaxDepth)
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
        if (s.Contains("\\begin{", StringComparison.Ordinal) && Matrices(s, percent, cancel, depth) is { } matrix)
        {
            return matrix;
        }
        var union = TopLevel.Split(s, "\\cup");
        if (union.Count > 1)
        {
            // Finite sets merge into one ("\{1,3\} \cup \{2,4\}" is \{1,2,3,4\}); intervals stay members.
            var members = union.Select(u => Parse(u, percent, cancel, depth + 1))
                .SelectMany(u => u is ListNode { Ordered: false } set ? set.Items : [u]);
            return new ListNode(s, [.. members], "", "", Ordered: false);
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
        if (Relation(s, percent, cancel, depth) is { } relation)
        {
            return relation;
        }
        if (Choice().Match(s) is { Success: true } c)
        {
            return new ChoiceNode(s, c.Groups[1].Value[0]);
        }
        if (Word().IsMatch(Commands().Replace(s, " ")))
        {
            return new TextNode(s);
        }
        return new ScalarNode(s, LatexParser.TryParse(depth == 0 ? s : AnswerNormalizer.MixedNumber(s), cancel), percent);
    }

    private static ListNode List(string s, string inner, string open, string close, bool ordered, bool percent, CancellationToken cancel, int depth) =>
        new(s, [.. TopLevel.Split(inner, ",").Select(p => Parse(p, percent, cancel, depth + 1))], open, close, ordered);

    // "1 < x \leq 3", "x = 2 + 7 = 9", "(a, b) = (4, 1)": split at every top-level relation symbol.
    private static RelationNode? Relation(string s, bool percent, CancellationToken cancel, int depth)
    {
        var (sides, relations) = TopLevel.SplitRelations(s);
        if (relations.Count == 0 || sides.Any(side => side.Trim().Length == 0))
        {
            return null;
        }
        return new RelationNode(s, [.. sides.Select(side => Parse(side, percent, cancel, depth + 1))], relations);
    }

    // One matrix literal (optionally inside [ ] or ( )), or an expression of several: each literal becomes a
    // placeholder variable, the expression is parsed as usual and evaluated with matrix arithmetic.
    private static AnswerNode? Matrices(string s, bool percent, CancellationToken cancel, int depth)
    {
        var literals = new List<IReadOnlyList<IReadOnlyList<AnswerNode>>>();
        var replaced = MatrixLiteral().Replace(s, m =>
        {
            var rows = TopLevel.Split(m.Groups["body"].Value, "\\\\").Where(r => r.Trim().Length > 0)
                .Select(r => (IReadOnlyList<AnswerNode>)[.. r.Split('&').Select(c => Parse(c, percent, cancel, depth + 1))]).ToList();
            literals.Add(rows);
            return $" {MatrixAlgebra.Placeholder}_{{{literals.Count - 1}}} ";
        });
        if (literals.Count == 0)
        {
            return null;
        }
        // "\left[\begin{array}...\end{array}\right]" is the array itself (\left and \right are already gone).
        var outside = replaced.Trim();
        if (outside.Length >= 2 && (outside[0], outside[^1]) is ('[', ']') or ('(', ')'))
        {
            outside = outside[1..^1].Trim();
        }
        if (literals.Count == 1 && outside == $"{MatrixAlgebra.Placeholder}_{{0}}")
        {
            return new MatrixNode(s, literals[0]);
        }
        return MatrixAlgebra.Evaluate(s, replaced, literals, cancel);
    }

    [GeneratedRegex(@"\\begin\{(?<env>[pbvB]?matrix|array)\}(?:\{[^{}]*\})?(?<body>(?:(?!\\begin\{|\\end\{).)*)\\end\{\k<env>\}", RegexOptions.Singleline)]
    private static partial Regex MatrixLiteral();

    [GeneratedRegex(@"^\(?([A-E])\)?$")]
    private static partial Regex Choice();

    [GeneratedRegex(@"[a-zA-Z]{3,}")]
    private static partial Regex Word();

    [GeneratedRegex(@"\\[a-zA-Z]+")]
    private static partial Regex Commands();
}

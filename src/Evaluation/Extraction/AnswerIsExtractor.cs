using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Extraction;

/// <summary>The text after the last "the answer is" / "final answer:" up to the end of its sentence or line.</summary>
public static partial class AnswerIsExtractor
{
    [GeneratedRegex(@"(?:final\s+answer|the\s+answer)\s*(?:is|:)\s*:?\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Marker();

    public static string? Extract(string text)
    {
        var matches = Marker().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }
        var m = matches[^1];
        var rest = text[(m.Index + m.Length)..];
        var end = rest.IndexOf('\n');
        var line = end < 0 ? rest : rest[..end];
        // A sentence ends at ". " outside math; answers like "3.5" keep their point.
        var stop = line.IndexOf(". ", StringComparison.Ordinal);
        if (stop >= 0 && !InsideMath(line, stop))
        {
            line = line[..stop];
        }
        var answer = line.Trim().TrimEnd('.').Trim();
        var boxed = BoxedExtractor.Extract(answer);
        return StripDollars(boxed ?? answer);
    }

    private static bool InsideMath(string line, int index) => line[..index].Count(c => c == '$') % 2 == 1;

    private static string StripDollars(string s)
    {
        s = s.Trim();
        if (s.StartsWith("$$", StringComparison.Ordinal) && s.EndsWith("$$", StringComparison.Ordinal) && s.Length >= 4)
        {
            return s[2..^2].Trim();
        }
        return s.Length >= 2 && s[0] == '$' && s[^1] == '$' ? s[1..^1].Trim() : s;
    }
}

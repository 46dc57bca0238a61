using System.Text.RegularExpressions;

namespace EvalCluster.Evaluation.Extraction;

/// <summary>The "flexible" fallback: the last number in the text (sign, thousands separators and decimals kept).</summary>
public static partial class LastNumberExtractor
{
    [GeneratedRegex(@"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\.\d+")]
    private static partial Regex Number();

    public static string? Extract(string text)
    {
        var matches = Number().Matches(text);
        return matches.Count == 0 ? null : matches[^1].Value.Replace(",", "", StringComparison.Ordinal);
    }
}

namespace EvalCluster.Evaluation.Extraction;

/// <summary>GSM8K style: the rest of the line after the last "####", thousands separators removed.</summary>
public static class HashAnswerExtractor
{
    public static string? Extract(string text)
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
}

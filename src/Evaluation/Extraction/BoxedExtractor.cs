namespace EvalCluster.Evaluation.Extraction;

/// <summary>The content of the last \boxed{...} or \fbox{...} with balanced braces, or of "\boxed x".</summary>
public static class BoxedExtractor
{
    private static readonly string[] s_commands = ["\\boxed", "\\fbox"];

    public static string? Extract(string text)
    {
        var start = -1;
        var command = "";
        foreach (var c in s_commands)
        {
            var i = LastCommand(text, c);
            if (i > start)
            {
                start = i;
                command = c;
            }
        }
        if (start < 0)
        {
            return null;
        }
        var pos = start + command.Length;
        if (pos < text.Length && text[pos] == '{')
        {
            var close = Braces.MatchingClose(text, pos);
            return close < 0 ? null : text[(pos + 1)..close];
        }
        if (pos < text.Length && text[pos] == ' ')
        {
            // "\boxed 5": the argument runs to the next space or math delimiter.
            var end = pos + 1;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '$')
            {
                end++;
            }
            return text[(pos + 1)..end].TrimEnd('.');
        }
        return null;
    }

    // The last occurrence that is the whole command (\boxed, not \boxedsomething).
    private static int LastCommand(string text, string command)
    {
        var i = text.Length;
        while (i > 0 && (i = text.LastIndexOf(command, i - 1, StringComparison.Ordinal)) >= 0)
        {
            var after = i + command.Length;
            if (after >= text.Length || !char.IsLetter(text[after]))
            {
                return i;
            }
        }
        return -1;
    }
}

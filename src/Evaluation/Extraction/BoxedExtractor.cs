namespace EvalCluster.Evaluation.Extraction;

/// <summary>
/// The content of the last \boxed{...} or \fbox{...} with balanced braces (or of "\boxed x"). Boxes written
/// right before it ("\boxed{2} or \boxed{3}": under 10 characters apart, or under 70 with "and", "or", a
/// comma or a semicolon between them) are joined with commas, as Math-Verify does.
/// </summary>
public static class BoxedExtractor
{
    private const int MaxJoined = 6;

    public static string? Extract(string text)
    {
        var parts = new List<string>();
        var end = text.Length;
        var previousStart = -1;
        while (parts.Count < MaxJoined && Last(text, end) is { } box)
        {
            if (box.Content is null)
            {
                // Cut off, or unbraced ("\boxed 5"): read only when it is the last box.
                if (parts.Count == 0)
                {
                    return box.Loose;
                }
                break;
            }
            if (previousStart >= 0 && !Joined(text[(box.End + 1)..previousStart], box.Content, parts[^1]))
            {
                break;
            }
            if (parts.Count == 0 || parts[^1] != box.Content)
            {
                parts.Add(box.Content);
            }
            previousStart = box.Start;
            end = box.Start;
        }
        if (parts.Count == 0)
        {
            return null;
        }
        parts.Reverse();
        return string.Join(", ", parts);
    }

    private static bool Joined(string between, string? content, string next) =>
        between.Length < 10 || (content != next && between.Length < 70 && HasSeparator(between));

    private static bool HasSeparator(string s) =>
        s.Contains(',') || s.Contains(';') || s.Contains(" and ", StringComparison.OrdinalIgnoreCase) || s.Contains(" or ", StringComparison.OrdinalIgnoreCase);

    private readonly record struct Box(int Start, int End, string? Content, string? Loose);

    // The last box starting before `limit`: Content is null when its braces do not close.
    private static Box? Last(string text, int limit)
    {
        var start = -1;
        var length = 0;
        foreach (var command in (ReadOnlySpan<string>)["\\boxed", "\\fbox"])
        {
            var i = LastCommand(text, command, limit);
            if (i > start)
            {
                start = i;
                length = command.Length;
            }
        }
        if (start < 0)
        {
            return null;
        }
        var pos = start + length;
        if (pos < text.Length && text[pos] == '{')
        {
            var close = Braces.MatchingClose(text, pos);
            return close < 0 || close >= limit ? new Box(start, start, null, null) : new Box(start, close, text[(pos + 1)..close].Trim(), null);
        }
        if (pos < text.Length && text[pos] == ' ')
        {
            // "\boxed 5": the argument runs to the next space or math delimiter.
            var end = pos + 1;
            while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '$')
            {
                end++;
            }
            return new Box(start, start, null, text[(pos + 1)..end].TrimEnd('.'));
        }
        return new Box(start, start, null, null);
    }

    // The last occurrence before `limit` that is the whole command (\boxed, not \boxedsomething).
    private static int LastCommand(string text, string command, int limit)
    {
        var i = Math.Min(limit, text.Length);
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

/// <summary>Brace matching that respects escaped braces (\{ \}).</summary>
public static class Braces
{
    /// <summary>Index of the '}' that closes the '{' at <paramref name="open"/>, or -1 when unbalanced.</summary>
    public static int MatchingClose(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && (text[i + 1] == '{' || text[i + 1] == '}'))
            {
                i++;
                continue;
            }
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth == 0)
            {
                return i;
            }
        }
        return -1;
    }
}

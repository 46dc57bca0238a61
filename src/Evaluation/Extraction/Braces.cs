namespace EvalCluster.Evaluation.Extraction;

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

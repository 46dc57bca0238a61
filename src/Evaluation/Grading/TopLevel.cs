namespace EvalCluster.Evaluation.Grading;

/// <summary>Splitting and bracket matching outside any (), [], {}, \{\} or \begin...\end.</summary>
public static class TopLevel
{
    /// <summary>Splits at each top-level occurrence of <paramref name="separator"/>.</summary>
    public static List<string> Split(string s, string separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var step = Depth(s, i);
            depth += step;
            if (depth == 0 && step == 0 && string.CompareOrdinal(s, i, separator, 0, separator.Length) == 0
                && (separator[0] != '\\' || i + separator.Length >= s.Length || !char.IsLetter(s[i + separator.Length])))
            {
                parts.Add(s[start..i]);
                start = i + separator.Length;
                i += separator.Length - 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    private static readonly string[] s_relationCommands = ["\\leq", "\\geq", "\\ne", "\\approx", "\\in"];

    /// <summary>
    /// Splits at every top-level relation symbol (=, &lt;, &gt;, \leq, \geq, \ne, \approx, \in), as written
    /// after normalisation: "1 &lt; x \leq 3" gives sides ["1 ", " x ", " 3"] and relations ["&lt;", "\leq"].
    /// </summary>
    public static (List<string> Sides, List<string> Relations) SplitRelations(string s)
    {
        var sides = new List<string>();
        var relations = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var step = Depth(s, i);
            depth += step;
            if (depth != 0 || step != 0)
            {
                continue;
            }
            var relation = s[i] switch
            {
                '=' or '<' or '>' => s[i].ToString(),
                '\\' => s_relationCommands.FirstOrDefault(c => string.CompareOrdinal(s, i, c, 0, c.Length) == 0
                    && (i + c.Length >= s.Length || !char.IsLetter(s[i + c.Length]))),
                _ => null,
            };
            if (relation is not null)
            {
                sides.Add(s[start..i]);
                relations.Add(relation);
                start = i + relation.Length;
                i += relation.Length - 1;
            }
        }
        sides.Add(s[start..]);
        return (sides, relations);
    }

    /// <summary>Index of the first top-level occurrence of <paramref name="token"/>, or -1.</summary>
    public static int IndexOf(string s, string token)
    {
        var parts = Split(s, token);
        return parts.Count == 1 ? -1 : parts[0].Length;
    }

    /// <summary>True when the bracket opening at 0 closes at the last character (any of ) ] for ( [).</summary>
    public static bool Encloses(string s)
    {
        if (s.Length < 2 || (s[0] != '(' && s[0] != '['))
        {
            return false;
        }
        var depth = 0;
        for (var i = 0; i < s.Length; i++)
        {
            depth += Depth(s, i);
            if (depth == 0)
            {
                return i == s.Length - 1;
            }
        }
        return false;
    }

    // +1 at an opener, -1 at a closer; escaped "\{" and "\}" count like braces.
    private static int Depth(string s, int i) => s[i] switch
    {
        '(' or '[' or '{' => 1,
        ')' or ']' or '}' => -1,
        _ => 0,
    };
}

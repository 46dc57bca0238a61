namespace EvalCluster.Evaluation.Tasks;

/// <summary>"did you mean ..." for unknown names: the closest known names by edit distance.</summary>
public static class Suggest
{
    /// <summary>Returns "; did you mean 'x'?" text (with a leading separator) or "" when nothing is close.</summary>
    public static string DidYouMean(string name, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (k, d: Distance(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .Where(x => x.d <= Math.Max(2, x.k.Length / 3) || x.k.Contains(name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(x => x.d)
            .Take(3)
            .Select(x => $"'{x.k}'")
            .ToList();
        return best.Count == 0 ? "" : $"; did you mean {string.Join(" or ", best)}?";
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

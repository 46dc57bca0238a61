namespace EvalCluster.Inference.Analysis;

/// <summary>
/// Phrases that announce a reasoning move (plan, switch, check). A token is a planning token when its text
/// overlaps an occurrence of a phrase, matched case-insensitively on word boundaries. The default list is
/// documented in docs/analysis.md; a file with one phrase per line replaces it.
/// </summary>
public sealed class PlanningLexicon
{
    public static readonly IReadOnlyList<string> DefaultPhrases =
    [
        "let's", "let us", "first", "second", "next", "then", "finally", "we need", "we want", "we have to",
        "i need", "alternatively", "instead", "wait", "hmm", "actually", "but", "however", "check", "verify",
        "double-check", "suppose", "assume", "consider", "recall", "note that", "so", "therefore", "thus",
        "plan", "step",
    ];

    public PlanningLexicon(IEnumerable<string> phrases)
    {
        Phrases = phrases.Select(p => p.Trim().ToLowerInvariant()).Where(p => p.Length > 0).Distinct().ToArray();
    }

    public static PlanningLexicon Default { get; } = new(DefaultPhrases);

    public IReadOnlyList<string> Phrases { get; }

    /// <summary>Reads one phrase per line; blank lines and lines starting with # are skipped.</summary>
    public static PlanningLexicon Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InferenceException($"{path}: lexicon file not found; give one planning phrase per line.");
        }
        var lexicon = new PlanningLexicon(File.ReadLines(path).Where(l => !l.TrimStart().StartsWith('#')));
        return lexicon.Phrases.Count > 0 ? lexicon : throw new InferenceException($"{path}: no phrases; give one planning phrase per line.");
    }

    /// <summary>For each token (its decoded text), whether it overlaps a lexicon phrase in the concatenated text.</summary>
    public bool[] Mark(IReadOnlyList<string> tokenTexts)
    {
        var starts = new int[tokenTexts.Count + 1];
        for (var i = 0; i < tokenTexts.Count; i++)
        {
            starts[i + 1] = starts[i] + tokenTexts[i].Length;
        }
        var text = string.Concat(tokenTexts).ToLowerInvariant();
        var covered = new bool[text.Length];
        foreach (var phrase in Phrases)
        {
            for (var at = text.IndexOf(phrase, StringComparison.Ordinal); at >= 0; at = text.IndexOf(phrase, at + 1, StringComparison.Ordinal))
            {
                var end = at + phrase.Length;
                if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
                {
                    Array.Fill(covered, true, at, phrase.Length);
                }
            }
        }
        var marks = new bool[tokenTexts.Count];
        for (var i = 0; i < marks.Length; i++)
        {
            for (var c = starts[i]; c < starts[i + 1] && !marks[i]; c++)
            {
                marks[i] = covered[c];
            }
        }
        return marks;
    }
}

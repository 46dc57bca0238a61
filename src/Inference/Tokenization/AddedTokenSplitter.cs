using System.Text.RegularExpressions;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Cuts added tokens out of text before anything else sees it, as Hugging Face tokenizers does: at each
/// position the longest added token wins, and added tokens are matched on the raw (unnormalised) text. The
/// lstrip, rstrip, single_word and normalized flags are not applied: Qwen and GPT-2 files set none of them.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Dictionary<string, int> _idByContent;
    private readonly Regex? _pattern;

    public AddedTokenSplitter(IReadOnlyList<AddedToken> tokens)
    {
        _idByContent = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            _idByContent[token.Content] = token.Id;
        }

        // Longest first: .NET alternation takes the first alternative that matches, which then is the longest.
        var alternatives = _idByContent.Keys
            .Where(content => content.Length > 0)
            .OrderByDescending(content => content.Length)
            .ThenBy(content => content, StringComparer.Ordinal)
            .Select(Regex.Escape)
            .ToList();
        _pattern = alternatives.Count == 0
            ? null
            : new Regex(string.Join("|", alternatives), RegexOptions.CultureInvariant);
    }

    public IEnumerable<TextSegment> Split(string text)
    {
        var position = 0;
        if (_pattern is not null)
        {
            for (var match = _pattern.Match(text); match.Success; match = match.NextMatch())
            {
                if (match.Index > position)
                {
                    yield return new TextSegment(position, match.Index - position, null);
                }

                yield return new TextSegment(match.Index, match.Length, _idByContent[match.Value]);
                position = match.Index + match.Length;
            }
        }

        if (position < text.Length)
        {
            yield return new TextSegment(position, text.Length - position, null);
        }
    }
}

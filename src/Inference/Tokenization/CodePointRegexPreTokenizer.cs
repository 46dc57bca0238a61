using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Splits text with the pre-tokenizer regex a tokenizer.json declares, with Rust-regex semantics for
/// characters outside the BMP: .NET matches UTF-16 code units, so an astral letter such as U+1D465 would be
/// two "other" surrogates to \p{L}. The regex therefore runs over a shadow string in which every astral code
/// point is one BMP stand-in of the same class (letter, number, other), and offsets are mapped back.
/// </summary>
internal sealed class CodePointRegexPreTokenizer : PreTokenizer
{
    private const char LetterStandIn = '\u4E00';
    private const char NumberStandIn = '\u2160';
    private const char OtherStandIn = '\u00A6';

    private readonly Regex _regex;

    public CodePointRegexPreTokenizer(string pattern)
    {
        _regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => PreTokenize(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        if (text.IsEmpty)
        {
            return pieces;
        }

        var (shadow, map) = Shadow(text);
        for (var match = _regex.Match(shadow); match.Success; match = match.NextMatch())
        {
            if (match.Length == 0)
            {
                continue;
            }

            var start = map is null ? match.Index : map[match.Index];
            var end = map is null ? match.Index + match.Length : map[match.Index + match.Length];
            pieces.Add((start, end - start));
        }

        return pieces;
    }

    private static (string Shadow, int[]? Map) Shadow(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return (text.ToString(), null);
        }

        var shadow = new StringBuilder(text.Length);
        var map = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length; i++)
        {
            map.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                shadow.Append(StandIn(char.ConvertToUtf32(text[i], text[i + 1])));
                i++;
            }
            else
            {
                shadow.Append(char.IsSurrogate(text[i]) ? OtherStandIn : text[i]);
            }
        }

        map.Add(text.Length);
        return (shadow.ToString(), map.ToArray());
    }

    private static char StandIn(int codePoint) => CharUnicodeInfo.GetUnicodeCategory(codePoint) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => LetterStandIn,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => NumberStandIn,
        _ => OtherStandIn,
    };
}

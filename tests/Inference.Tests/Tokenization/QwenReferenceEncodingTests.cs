using System.Text.Json;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>Golden ids from the reference Qwen3 tokenizer (shared/tokenizers/qwen3/reference_encodings.jsonl).</summary>
public sealed class QwenReferenceEncodingTests(QwenTokenizerFixture qwen) : IClassFixture<QwenTokenizerFixture>
{
    public static TheoryData<string, string, int[]> ReferenceLines()
    {
        var data = new TheoryData<string, string, int[]>();
        foreach (var line in File.ReadLines(SharedFolder.Path("tokenizers", "qwen3", "reference_encodings.jsonl")))
        {
            using var row = JsonDocument.Parse(line);
            var root = row.RootElement;
            data.Add(
                root.GetProperty("origin").GetString()!,
                root.GetProperty("text").GetString()!,
                root.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray());
        }

        return data;
    }

    [Fact]
    public void TheReferenceFileHoldsThirtyLines() => Assert.Equal(30, ReferenceLines().Count);

    [Theory]
    [MemberData(nameof(ReferenceLines))]
    public void EveryReferenceTextEncodesToExactlyItsIds(string origin, string text, int[] ids)
    {
        Assert.False(string.IsNullOrEmpty(origin));
        Assert.Equal(ids, qwen.Tokenizer.Encode(text));
    }

    [Theory]
    [MemberData(nameof(ReferenceLines))]
    public void DecodingTheEncodingGivesBackTheNfcText(string origin, string text, int[] ids)
    {
        Assert.NotEmpty(origin);
        Assert.NotEmpty(ids);
        Assert.Equal(Nfc.Normalize(text), qwen.Tokenizer.Decode(qwen.Tokenizer.Encode(text)));
    }
}

using System.Text.Json.Nodes;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>A tokenizer.json this library would get wrong is refused with one line naming the file and field.</summary>
public sealed class TokenizerJsonErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AMissingFileIsNamed()
    {
        var path = _dir.File("tokenizer.json");

        var error = Assert.Throws<InferenceException>(() => HfTokenizer.Load(path));

        Assert.Equal($"{path}: file not found; pass the tokenizer.json exported with the model", error.Message);
    }

    [Fact]
    public void InvalidJsonNamesTheFileAndLine()
    {
        var path = _dir.Write("tokenizer.json", "{\n  \"model\": {,\n}");

        var error = Assert.Throws<InferenceException>(() => HfTokenizer.Load(path));

        Assert.StartsWith($"{path}: not valid JSON (line 2)", error.Message);
    }

    [Theory]
    [InlineData("model.vocab", "field model.vocab missing or not an object")]
    [InlineData("model", "field model missing")]
    [InlineData("model.type=WordPiece", "field model.type is \"WordPiece\"; only byte-level BPE")]
    [InlineData("normalizer=Lowercase", "field normalizer.type is \"Lowercase\"")]
    [InlineData("pre_tokenizer=Whitespace", "field pre_tokenizer.type is \"Whitespace\"")]
    [InlineData("merges=bad", "field model.merges[0] is neither")]
    [InlineData("added_tokens=bad", "field added_tokens[0] needs a non-empty \"content\"")]
    [InlineData("no-byte-level", "field pre_tokenizer declares no ByteLevel step")]
    [InlineData("merge-without-token", "field model rejected: Trying to merge a token 'qz'")]
    public void ABrokenFieldIsNamed(string breakage, string expected)
    {
        var json = ToyTokenizerJson.Build(gpt2: true);
        var model = json["model"]!.AsObject();
        switch (breakage)
        {
            case "model.vocab": model.Remove("vocab"); break;
            case "model": json.Remove("model"); break;
            case "model.type=WordPiece": model["type"] = "WordPiece"; break;
            case "normalizer=Lowercase": json["normalizer"] = new JsonObject { ["type"] = "Lowercase" }; break;
            case "pre_tokenizer=Whitespace": json["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" }; break;
            case "merges=bad": model["merges"] = new JsonArray("a b c"); break;
            case "added_tokens=bad": json["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 5 }); break;
            case "no-byte-level": json["pre_tokenizer"] = null; json["decoder"] = null; break;
            case "merge-without-token": model["merges"] = new JsonArray("q z"); break;
        }

        var path = ToyTokenizerJson.Save(json, _dir);

        var error = Assert.Throws<InferenceException>(() => HfTokenizer.Load(path));

        Assert.StartsWith($"{path}: {expected}", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

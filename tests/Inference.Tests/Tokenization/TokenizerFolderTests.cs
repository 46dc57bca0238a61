using System.Text.Json.Nodes;
using EvalCluster.Inference.Tokenization;
using EvalCluster.TestModels;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>Loading a model folder's text side: template choice and end-of-sequence ids from three files.</summary>
public sealed class TokenizerFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheRealQwen3ChatFolderUsesChatMlAndStopsAtImEndOrEndOfText()
    {
        File.Copy(SharedFolder.QwenTokenizerJson, _dir.File("tokenizer.json"));
        File.Copy(SharedFolder.QwenTokenizerConfig, _dir.File("tokenizer_config.json"));
        _dir.Write("generation_config.json", """{"eos_token_id": [151645, 151643], "pad_token_id": 151643}""");

        var bundle = TokenizerFolder.Load(_dir.Path);

        Assert.True(bundle.HasChatTemplate);
        Assert.Equal([151645, 151643], bundle.EosTokenIds);
        Assert.IsType<ChatMlTemplate>(bundle.Template(thinking: false));
        var prompt = bundle.Tokenizer.Encode(bundle.Template(thinking: true).Render("Hi"));
        Assert.Equal([151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198], prompt);
    }

    [Fact]
    public void ABaseFolderWithoutChatTemplateUsesPlainTextAndStopsAtEndOfText()
    {
        ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir);
        _dir.Write("tokenizer_config.json", """{"eos_token": "<|endoftext|>", "bos_token": null}""");
        _dir.Write("config.json", """{"eos_token_id": 256}""");

        var bundle = TokenizerFolder.Load(_dir.Path);

        Assert.False(bundle.HasChatTemplate);
        Assert.Equal([ToyTokenizerJson.EndOfText], bundle.EosTokenIds);
        Assert.IsType<PlainCompletionTemplate>(bundle.Template(thinking: true));
        Assert.True(bundle.IsEos(ToyTokenizerJson.EndOfText));
        Assert.False(bundle.IsEos(ToyTokenizerJson.ImEnd));
    }

    [Fact]
    public void EosIdsAreTheUnionOfAllThreeFilesInEveryWrittenForm()
    {
        ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir);
        _dir.Write("generation_config.json", """{"eos_token_id": 258}""");
        _dir.Write("config.json", """{"eos_token_id": [258, 33]}""");
        _dir.Write("tokenizer_config.json", """{"eos_token": {"content": "<|endoftext|>", "special": true}}""");

        Assert.Equal([258, 33, 256], TokenizerFolder.Load(_dir.Path).EosTokenIds);
    }

    [Theory]
    [InlineData(true, new[] { ByteTokenizerFiles.ImEnd, ByteTokenizerFiles.EndOfText })]
    [InlineData(false, new[] { ByteTokenizerFiles.EndOfText })]
    public void TheToyModelsTokenizerFolderLoadsAndRoundTrips(bool chat, int[] eos)
    {
        ByteTokenizerFiles.Write(_dir.Path, chat);
        const string text = "<|im_start|>user\nCaf\u00E9 \U0001F600<|im_end|>\n";

        var bundle = TokenizerFolder.Load(_dir.Path);

        Assert.Equal(chat, bundle.HasChatTemplate);
        Assert.Equal(eos, bundle.EosTokenIds);
        Assert.Equal(text, bundle.Tokenizer.Decode(bundle.Tokenizer.Encode(text)));
        Assert.Equal([ByteTokenizerFiles.ImStart, 'u', 's'], bundle.Tokenizer.Encode(text).Take(3));
    }

    [Fact]
    public void AChatTemplateWithoutImStartIsNotTreatedAsChatMl()
    {
        ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir);
        _dir.Write("tokenizer_config.json", """{"chat_template": "{{ messages[0].content }}", "eos_token": "<|endoftext|>"}""");

        var bundle = TokenizerFolder.Load(_dir.Path);

        Assert.False(bundle.HasChatTemplate);
        Assert.Equal([ToyTokenizerJson.EndOfText], bundle.EosTokenIds);
    }

    [Fact]
    public void AFolderWithoutAnyEosSettingFallsBackToEndOfText()
    {
        ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir);

        Assert.Equal([ToyTokenizerJson.EndOfText], TokenizerFolder.Load(_dir.Path).EosTokenIds);
    }

    [Fact]
    public void AMissingTokenizerJsonSaysToExportIt()
    {
        _dir.Write("config.json", "{}");

        var error = Assert.Throws<InferenceException>(() => TokenizerFolder.Load(_dir.Path));

        Assert.StartsWith($"model folder {_dir.Path}: tokenizer.json not found; export the tokenizer with the model", error.Message);
    }

    [Fact]
    public void AnEosTokenThatTheTokenizerLacksIsNamed()
    {
        ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir);
        var config = _dir.Write("tokenizer_config.json", new JsonObject { ["eos_token"] = "</s>" }.ToJsonString());

        var error = Assert.Throws<InferenceException>(() => TokenizerFolder.Load(_dir.Path));

        Assert.Equal($"{config}: field eos_token \"</s>\" is not a token of tokenizer.json", error.Message);
    }

    [Fact]
    public void AnEosIdOutsideTheVocabularyIsNamed()
    {
        ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir);
        var generation = _dir.Write("generation_config.json", """{"eos_token_id": 151645}""");

        var error = Assert.Throws<InferenceException>(() => TokenizerFolder.Load(_dir.Path));

        Assert.StartsWith($"{generation}: field eos_token_id 151645 is not a token of tokenizer.json", error.Message);
    }

    [Fact]
    public void ABrokenConfigFileIsNamed()
    {
        ToyTokenizerJson.Save(ToyTokenizerJson.Build(), _dir);
        var config = _dir.Write("config.json", "{ not json");

        var error = Assert.Throws<InferenceException>(() => TokenizerFolder.Load(_dir.Path));

        Assert.StartsWith($"{config}: not valid JSON", error.Message);
    }
}

using System.Text.Json;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>`tokenize --model DIR` on a model folder holding the real Qwen3 tokenizer files reproduces the reference ids.</summary>
[Collection(TokenizeConsoleCollection.Name)]
public sealed class TokenizeModelFolderTests : IDisposable
{
    private readonly string _model = Directory.CreateTempSubdirectory("evalcluster-qwen3-folder-").FullName;

    public void Dispose() => Directory.Delete(_model, recursive: true);

    [Fact]
    public void A_model_folder_with_the_qwen3_tokenizer_files_reproduces_every_reference_encoding()
    {
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt" })
        {
            File.Copy(Path.Combine(TokenizeTestFiles.QwenFolder, file), Path.Combine(_model, file));
        }
        var expected = TokenizeTestFiles.ReferenceRows();
        var input = string.Join("\n", expected.Select(r => JsonSerializer.Serialize(new { text = r.Text })));

        var (exit, stdout, stderr) = ConsoleCapture.RunWithStdin(input, "tokenize", "--model", _model);

        Assert.Equal((0, ""), (exit, stderr));
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Count, lines.Length);
        Assert.True(expected.Count >= 30);
        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.Equal(expected[i].Text, line.RootElement.GetProperty("text").GetString());
            Assert.Equal(expected[i].Ids, line.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray());
        }
    }
}

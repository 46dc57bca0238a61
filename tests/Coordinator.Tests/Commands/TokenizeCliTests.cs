using System.Text.Json;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The tokenize verb run through the real command-line app: its output, errors and exit codes.</summary>
[Collection(TokenizeConsoleCollection.Name)]
public sealed class TokenizeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalcluster-tokenize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TokenizeReproducesTheReferenceIdsOfEveryLine()
    {
        // The reference file itself is valid input: extra fields (ids, origin) are ignored.
        var (exit, stdout, stderr) = Run("tokenize", TokenizeTestFiles.ReferenceEncodings, "--tokenizer", TokenizeTestFiles.QwenTokenizerJson);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var expected = TokenizeTestFiles.ReferenceRows();
        Assert.Equal(expected.Count, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.Equal(expected[i].Text, line.RootElement.GetProperty("text").GetString());
            Assert.Equal(expected[i].Ids, line.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()));
        }
    }

    [Fact]
    public void StdinIsReadWhenNoFileIsGivenAndAModelFolderWorksLikeATokenizerFile()
    {
        File.Copy(TokenizeTestFiles.QwenTokenizerJson, Path.Combine(_dir, "tokenizer.json"));

        var (exit, stdout, _) = RunWithStdin("{\"text\": \"Hello world\"}\n", "tokenize", "--model", _dir);

        Assert.Equal(0, exit);
        Assert.Equal("{\"text\":\"Hello world\",\"ids\":[9707,1879]}", stdout.TrimEnd());
    }

    [Fact]
    public void MalformedJsonlPrintsOneLineNamingFileAndLineAndFails()
    {
        var input = Path.Combine(_dir, "prompts.jsonl");
        File.WriteAllText(input, "{\"text\": \"fine\"}\n{\"text\": \"broken\"\n");

        var (exit, _, stderr) = Run("tokenize", input, "--tokenizer", TokenizeTestFiles.QwenTokenizerJson);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {input}:2: not valid JSON", stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void AModelFolderWithoutTokenizerJsonFailsWithAHint()
    {
        var (exit, _, stderr) = RunWithStdin("{\"text\": \"x\"}\n", "tokenize", "--model", _dir);

        Assert.Equal(1, exit);
        Assert.StartsWith($"error: model folder {_dir}: tokenizer.json not found; export the tokenizer with the model", stderr);
    }

    [Fact]
    public void GivingNeitherModelNorTokenizerFails()
    {
        var (exit, _, stderr) = Run("tokenize");

        Assert.NotEqual(0, exit);
        Assert.Contains("pass exactly one of --model DIR or --tokenizer FILE", stderr);
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args) => ConsoleCapture.Run(args);

    private static (int Exit, string Stdout, string Stderr) RunWithStdin(string stdin, params string[] args) =>
        ConsoleCapture.RunWithStdin(stdin, args);
}

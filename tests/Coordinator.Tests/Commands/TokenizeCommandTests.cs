using System.Text.Json;
using EvalCluster.Coordinator.Commands;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The tokenize command's core over readers and writers, with the real Qwen3 tokenizer.</summary>
public sealed class TokenizeCommandTests(QwenTokenizerFixture qwen) : IClassFixture<QwenTokenizerFixture>
{
    [Fact]
    public void EachLineBecomesItsTextAndIdsAndBlankLinesAreSkipped()
    {
        var rows = TokenizeTestFiles.ReferenceRows().Take(3).ToList();
        var input = string.Join("\n", rows.Select(r => JsonSerializer.Serialize(new { text = r.Text }))) + "\n\n";
        var output = new StringWriter();

        TokenizeCommand.Tokenize(qwen.Tokenizer, new StringReader(input), "in.jsonl", output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(rows.Count, lines.Length);
        for (var i = 0; i < rows.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            Assert.Equal(rows[i].Text, line.RootElement.GetProperty("text").GetString());
            Assert.Equal(rows[i].Ids, line.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()));
        }
    }

    [Fact]
    public void SpecialTokensAndNonAsciiTextAreWrittenReadably()
    {
        var output = new StringWriter();

        TokenizeCommand.Tokenize(qwen.Tokenizer, new StringReader("{\"text\": \"<|im_end|>é\"}"), "in.jsonl", output);

        Assert.Equal("{\"text\":\"<|im_end|>é\",\"ids\":[151645,963]}", output.ToString().TrimEnd());
    }

    [Theory]
    [InlineData("{\"text\": \"ok\"}\n{oops", "in.jsonl:2: not valid JSON")]
    [InlineData("{\"txt\": \"a\"}", "in.jsonl:1: field \"text\" missing")]
    [InlineData("[1, 2]", "in.jsonl:1: field \"text\" missing")]
    [InlineData("{\"text\": 3}", "in.jsonl:1: field \"text\" is Number, expected a string")]
    public void ABadLineIsRejectedWithFileAndLineNumber(string input, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() =>
            TokenizeCommand.Tokenize(qwen.Tokenizer, new StringReader(input), "in.jsonl", new StringWriter()));

        Assert.StartsWith(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

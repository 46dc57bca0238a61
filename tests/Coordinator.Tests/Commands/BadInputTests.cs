using System.Text.Json.Nodes;
using EvalCluster.TestModels;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>Every command answers a user mistake with exactly one line on stderr ("error: ...") and exit code 1.</summary>
[Collection(TokenizeConsoleCollection.Name)]
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalcluster-bad-input-").FullName;

    public BadInputTests()
    {
        File.WriteAllText(Path.Combine(_dir, "malformed.jsonl"), "{\"gold\": \"1\"\n");
        File.WriteAllText(Path.Combine(_dir, "bad-text.jsonl"), "{\"text\": \"a\n");
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        Directory.CreateDirectory(Path.Combine(_dir, "broken-data"));
        File.WriteAllText(Path.Combine(_dir, "broken-data", "gsm8k_test.jsonl"),
            "{\"id\": \"a\", \"problem\": \"1+1?\", \"answer\": \"2\"}\n{\"id\": \"b\", \"problem\": \n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("no-onnx", "model.onnx not found")]
    [InlineData("contradicting-config", "num_key_value_heads=4")]
    [InlineData("no-tokenizer", "tokenizer.json not found")]
    public void A_model_folder_the_tool_cannot_use_fails_with_one_line(string broken, string expected)
    {
        var model = TestModelWriter.Write(Path.Combine(_dir, broken), new TestModelSpec(Seed: 61));
        switch (broken)
        {
            case "no-onnx":
                File.Delete(Path.Combine(model, "model.onnx"));
                break;
            case "contradicting-config":
                var config = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "config.json")))!;
                config["num_key_value_heads"] = 4;
                File.WriteAllText(Path.Combine(model, "config.json"), config.ToJsonString());
                break;
            default:
                File.Delete(Path.Combine(model, "tokenizer.json"));
                break;
        }
        var data = Path.Combine(_dir, "cal.jsonl");
        File.WriteAllText(data, "{\"problem\": \"1+1?\"}\n");

        var (exit, _, stderr) = ConsoleCapture.Run("calibrate", "--base", model, "--guide", Path.Combine(RepoPaths.File("models", "toy"), "guide"),
            "--data", data, "-r", "0.1", "--device", "cpu", "--out", Path.Combine(_dir, "c.json"));

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(Path.Combine(_dir, "c.json")));
    }

    [Theory]
    [InlineData("grade --gold 1", "pass both --gold and --prediction")]
    [InlineData("grade pairs.jsonl --gold 1 --prediction 1", "pass either FILE (pairs.jsonl) or --gold/--prediction")]
    [InlineData("grade --gold 1 --prediction 1 --time-limit 5", "--time-limit must be in (0, 1]")]
    [InlineData("grade {dir}/missing.jsonl", "missing.jsonl: file not found; pass a JSONL file")]
    [InlineData("grade {dir}/malformed.jsonl", "malformed.jsonl: line 1: malformed JSON")]
    [InlineData("grade --nope", "nope")]
    [InlineData("tokenize --model {dir}/no-model", "no-model: not found; pass the folder")]
    [InlineData("tokenize {dir}/missing.jsonl --tokenizer {toy}/base/tokenizer.json", "missing.jsonl: file not found; pass a JSONL file")]
    [InlineData("tokenize {dir}/bad-text.jsonl --tokenizer {toy}/base/tokenizer.json", "bad-text.jsonl:1: not valid JSON")]
    [InlineData("report {dir}/no-run", "manifest.json: not found; pass a run folder")]
    [InlineData("rescore {dir}/no-run", "manifest.json: not found; pass a run folder")]
    [InlineData("ls things", "unknown listing 'things'")]
    [InlineData("ls tasks --tasks-dir {dir}/no-tasks", "tasks directory not found")]
    [InlineData("run --task gsm8k --data-dir {dir}/empty {run}", "gsm8k_test.jsonl: dataset file of task 'gsm8k' not found")]
    [InlineData("run --task gsm8k --data-dir {dir}/broken-data {run}", "gsm8k_test.jsonl: line 2: malformed JSON")]
    [InlineData("run --task gsm8kk --data-dir {dir}/empty {run}", "did you mean 'gsm8k'")]
    [InlineData("analyze --base {toy}/base --guide {toy}/guide --input {dir}/missing.jsonl --out {dir}/an", "missing.jsonl: not found")]
    [InlineData("calibrate --base {toy}/base --guide {toy}/guide --data {dir}/missing.jsonl -r 0.1 --out {dir}/c.json", "calibration data not found")]
    [InlineData("calibrate --base {toy}/base --guide {toy}/guide --data {dir}/missing.jsonl -r 2 --out {dir}/c.json", "-r 2: each spike ratio must lie strictly between 0 and 1")]
    public void A_bad_input_prints_one_error_line_and_exits_with_one(string command, string expected)
    {
        var args = command
            .Replace("{run}", "--arms base --tasks-dir {tasks} --base {toy}/base --guide {toy}/guide --out {dir}/runs")
            .Replace("{dir}", _dir).Replace("{tasks}", RepoPaths.File("tasks")).Replace("{toy}", RepoPaths.File("models", "toy"))
            .Split(' ');

        var (exit, stdout, stderr) = ConsoleCapture.Run(args);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", stdout);
    }
}

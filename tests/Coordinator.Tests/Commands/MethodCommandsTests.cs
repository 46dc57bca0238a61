using System.Text.Json;
using EvalCluster.Inference.Calibration;
using EvalCluster.TestModels;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The calibrate and analyze verbs run through the real command-line app on random-weight test models.</summary>
[Collection(TokenizeConsoleCollection.Name)]
public sealed class MethodCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalcluster-method-").FullName;
    private readonly string _base;
    private readonly string _guide;

    public MethodCommandsTests()
    {
        _base = TestModelWriter.Write(Path.Combine(_dir, "base"), new TestModelSpec(Seed: 51, WeightScale: 2f));
        _guide = TestModelWriter.Write(Path.Combine(_dir, "guide"), new TestModelSpec(Layers: 3, Seed: 52, WeightScale: 2f, ChatTemplate: true));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void CalibrateWritesTauAndLambdaWithBothModelIdentities()
    {
        var data = Path.Combine(_dir, "cal.jsonl");
        File.WriteAllLines(data, ["{\"problem\": \"What is 2+3?\"}", "{\"problem\": \"Plan 7*8-5\"}", "{\"problem\": \"x\"}"]);
        var output = Path.Combine(_dir, "out", "calibration.json");

        var exit = Cli(["calibrate", "--base", _base, "--guide", _guide, "--data", data,
            "-r", "0.1", "--window", "4", "--max-new-tokens", "12", "--device", "cpu", "--out", output]);

        Assert.Equal(0, exit);
        var calibration = CalibrationFile.Read(output);
        var entry = Assert.Single(calibration.Entries);
        Assert.Equal((0.1, 4, "base", "guide"), (entry.R, calibration.Window, calibration.Base.Name, calibration.Guide.Name));
        Assert.InRange(calibration.Tokens, 3, 36);
        Assert.True(entry.Lambda >= 1);
        Assert.True(double.IsFinite(entry.Tau));
        Assert.Null(calibration.Task);
    }

    [Fact]
    public void AnalyzeWritesTracesAndStatistics()
    {
        var input = Path.Combine(_dir, "responses.jsonl");
        File.WriteAllLines(input,
        [
            "{\"prompt\": \"What is 2+3?\", \"response\": \"First, 2+3=5. Wait, check.\", \"correct\": true}",
            "{\"prompt\": \"7*8?\", \"response\": \"Let's see: 54\", \"correct\": false}",
        ]);
        var output = Path.Combine(_dir, "analysis");

        var exit = Cli(["analyze", "--base", _base, "--guide", _guide, "--input", input, "--out", output, "--device", "cpu"]);

        Assert.Equal(0, exit);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, "traces.jsonl")).Length);
        using var analysis = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "analysis.json")));
        Assert.Equal(2, analysis.RootElement.GetProperty("responses").GetInt32());
        Assert.Equal(JsonValueKind.Number, analysis.RootElement.GetProperty("wrong_answer_auroc").ValueKind);
    }

    [Fact]
    public void A_calibration_set_without_a_problem_field_fails_with_exit_code_one()
    {
        var data = Path.Combine(_dir, "bad.jsonl");
        File.WriteAllLines(data, ["{\"question\": \"x\"}"]);

        var exit = Cli(["calibrate", "--base", _base, "--guide", _guide, "--data", data,
            "-r", "0.1", "--out", Path.Combine(_dir, "c.json")]);

        Assert.Equal(1, exit);
        Assert.False(File.Exists(Path.Combine(_dir, "c.json")));
    }

    // CliErrors explicitly, as the real entry point does: CommandApp.Run(IEnumerable<string>) hides the extension.
    private static int Cli(string[] args) => CliErrors.Run(() => CoordinatorApp.Create().Run(args));
}

using System.Text.Json.Nodes;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>`report` and `rescore` on a folder that `run` wrote with the shipped toy models, through the real app.</summary>
[Collection(TokenizeConsoleCollection.Name)]
public sealed class RunFolderCommandsTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("evalcluster-run-folder-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [Fact]
    public void Report_and_rescore_rebuild_what_run_wrote_and_rescore_repairs_a_wrong_verdict()
    {
        var toy = RepoPaths.File("models", "toy");
        var run = ConsoleCapture.Run("run", "--task", "toy-plan", "--arms", "base,guide", "--limit", "4",
            "--base", Path.Combine(toy, "base"), "--guide", Path.Combine(toy, "guide"), "--tasks-dir", RepoPaths.File("tasks"),
            "--data-dir", RepoPaths.File("data"), "--out", _out, "--run-id", "r");
        Assert.Equal(0, run.Exit);
        var folder = Path.Combine(_out, "r");
        var samples = Path.Combine(folder, RunFolder.SamplesFile);
        var summary = Path.Combine(folder, RunFolder.SummaryFile);
        var written = JsonNode.Parse(File.ReadAllText(summary));
        var lines = File.ReadAllLines(samples);
        Assert.Equal(8, lines.Length);

        // report: the summary, report and plots come back from samples.jsonl alone, equal to what run wrote.
        foreach (var file in Directory.GetFiles(folder).Where(f => !f.EndsWith(RunFolder.ManifestFile) && !f.EndsWith(RunFolder.SamplesFile)))
        {
            File.Delete(file);
        }
        var report = ConsoleCapture.Run("report", folder);
        Assert.Equal((0, ""), (report.Exit, report.Stderr));
        Assert.True(JsonNode.DeepEquals(written, JsonNode.Parse(File.ReadAllText(summary))));
        Assert.Contains("| guide | 4 |", File.ReadAllText(Path.Combine(folder, RunFolder.ReportFile)));
        Assert.True(File.Exists(Path.Combine(folder, "accuracy_per_arm.png")));

        // rescore: a verdict saved wrongly is re-graded from the saved response; nothing else changes.
        var right = Array.FindIndex(lines, l => l.Contains("\"correct\":true"));
        Assert.True(right >= 0, "the toy models should solve at least one of four problems");
        var tampered = lines.ToArray();
        tampered[right] = tampered[right].Replace("\"correct\":true", "\"correct\":false");
        File.WriteAllLines(samples, tampered);
        var rescore = ConsoleCapture.Run("rescore", folder, "--tasks-dir", RepoPaths.File("tasks"));
        Assert.Equal((0, ""), (rescore.Exit, rescore.Stderr));
        Assert.Contains("rescored 8 samples; 1 changed verdict", rescore.Stdout);
        Assert.Equal(lines, File.ReadAllLines(samples));
        Assert.True(JsonNode.DeepEquals(written, JsonNode.Parse(File.ReadAllText(summary))));
    }
}

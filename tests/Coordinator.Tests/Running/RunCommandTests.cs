using System.Text.Json;
using EvalCluster.Coordinator.Running;
using EvalCluster.Coordinator.Tests.Commands;
using EvalCluster.Evaluation.Runs;
using EvalCluster.TestModels;

namespace EvalCluster.Coordinator.Tests.Running;

/// <summary>The `run` command end to end on an embedded silo, with random-weight test models on the toy-plan task.</summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class RunCommandTests : IDisposable
{
    private static readonly string Repo = RepoPaths.Root;
    private readonly string _base = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 41, WeightScale: 2f), "base");
    private readonly string _guide = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 3, Seed: 42, WeightScale: 2f, ChatTemplate: true), "guide");
    private readonly string _out = Path.Combine(Path.GetTempPath(), "evalcluster-runs", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Run_in_embedded_mode_exits_zero_and_writes_a_complete_run_folder_that_resume_completes_after_a_crash()
    {
        var args = new[]
        {
            "run", "--task", "toy-plan", "--arms", "base,guide,guided@tau=2,lambda=1,w=4,random", "--limit", "3",
            "--max-new-tokens", "8", "--base", _base, "--guide", _guide, "--tasks-dir", Path.Combine(Repo, "tasks"),
            "--data-dir", Path.Combine(Repo, "data"), "--out", _out, "--run-id", "e2e",
        };

        Assert.Equal(0, CoordinatorApp.RunCli(args));

        var folder = Path.Combine(_out, "e2e");
        foreach (var file in new[] { RunFolder.ManifestFile, RunFolder.SamplesFile, RunFolder.SummaryFile, RunFolder.ReportFile })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }
        var lines = File.ReadAllLines(Path.Combine(folder, RunFolder.SamplesFile));
        Assert.Equal(12, lines.Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, RunFolder.SummaryFile)));
        Assert.Equal("e2e", summary.RootElement.GetProperty("run_id").GetString());
        var arms = summary.RootElement.GetProperty("tasks").GetProperty("toy-plan").GetProperty("arms");
        Assert.Equal(3, arms.GetProperty("random").GetProperty("n").GetInt32());

        // A crash that lost the last four records: resume regenerates exactly those, keeping the rest as they were.
        File.WriteAllLines(Path.Combine(folder, RunFolder.SamplesFile), lines[..8]);
        Assert.Equal(0, CoordinatorApp.RunCli([.. args, "--resume"]));
        var resumed = File.ReadAllLines(Path.Combine(folder, RunFolder.SamplesFile));
        Assert.Equal(12, resumed.Length);
        Assert.Equal(lines[..8], resumed[..8]);
    }

    [Fact]
    public void Repeating_a_command_cuts_a_torn_last_line_finishes_the_run_then_reprints_it_and_fresh_starts_over()
    {
        string[] args =
        [
            "run", "--task", "toy-plan", "--arms", "base,guided@tau=2,lambda=1,w=4", "--limit", "3", "--max-new-tokens", "8",
            "--base", _base, "--guide", _guide, "--tasks-dir", Path.Combine(Repo, "tasks"), "--data-dir", Path.Combine(Repo, "data"), "--out", _out,
        ];
        Assert.Equal(0, ConsoleCapture.Run(args).Exit);
        var folder = Assert.Single(Directory.GetDirectories(_out));
        Assert.StartsWith("run-", Path.GetFileName(folder));
        var samples = Path.Combine(folder, RunFolder.SamplesFile);
        var lines = File.ReadAllLines(samples);
        Assert.Equal(6, lines.Length);

        // A kill during a write leaves the last record half-written: the same command cuts it and regenerates that sample.
        File.WriteAllText(samples, string.Join("\n", lines[..5]) + "\n" + lines[5][..(lines[5].Length / 2)]);
        var (exit, _, stderr) = ConsoleCapture.Run(args);
        Assert.Equal(0, exit);
        Assert.Contains("cut a torn last line", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        var finished = File.ReadAllLines(samples);
        Assert.Equal(6, finished.Length);
        Assert.Equal(lines[..5], finished[..5]);
        string Response(string line) => JsonDocument.Parse(line).RootElement.GetProperty("response").GetString()!;
        Assert.Equal(Response(lines[5]), Response(finished[5]));

        // Finished: the same command reprints the table and changes nothing.
        File.Delete(Path.Combine(folder, RunFolder.SummaryFile));
        var (again, _, quiet) = ConsoleCapture.Run(args);
        Assert.Equal((0, ""), (again, quiet));
        Assert.Equal(finished, File.ReadAllLines(samples));
        Assert.True(File.Exists(Path.Combine(folder, RunFolder.SummaryFile)), "the summary is written again for the table");

        // --fresh deletes the run and starts over.
        File.WriteAllText(Path.Combine(folder, "marker"), "");
        Assert.Equal(0, ConsoleCapture.Run([.. args, "--fresh"]).Exit);
        Assert.False(File.Exists(Path.Combine(folder, "marker")));
        Assert.Equal(6, File.ReadAllLines(samples).Length);
    }

    [Fact]
    public void A_tasks_stop_strings_end_each_response_at_the_token_that_completes_one_on_the_cluster_path()
    {
        var tasks = Directory.CreateDirectory(Path.Combine(_out, "tasks")).FullName;
        File.WriteAllText(Path.Combine(tasks, "toy-stop.yaml"), File.ReadAllText(Path.Combine(Repo, "tasks", "toy-plan.yaml"))
            .Replace("name: toy-plan", "name: toy-stop", StringComparison.Ordinal).Replace("stop: []", "stop: [\";\"]", StringComparison.Ordinal));
        var toy = Path.Combine(Repo, "models", "toy");

        Assert.Equal(0, CoordinatorApp.RunCli(["run", "--task", "toy-stop", "--arms", "base", "--limit", "3", "--base", Path.Combine(toy, "base"),
            "--guide", Path.Combine(toy, "guide"), "--tasks-dir", tasks, "--data-dir", Path.Combine(Repo, "data"), "--out", _out, "--run-id", "stop"]));

        var samples = RunFolder.Open(Path.Combine(_out, "stop")).ReadSamples();
        Assert.Equal(3, samples.Count);
        // The toy base writes "plan b-c; 7-7=0; ..." : generation ends at the first ';' (kept), long before the token limit.
        Assert.All(samples, s =>
        {
            Assert.EndsWith(";", s.Response.TrimEnd(), StringComparison.Ordinal);
            Assert.Single(s.Response, ';');
            Assert.InRange(s.ResponseTokens, 1, 16);
        });
    }

    [Fact]
    public void A_run_id_holding_a_run_with_other_settings_is_refused_with_one_line()
    {
        Directory.CreateDirectory(Path.Combine(_out, "taken"));
        File.WriteAllText(Path.Combine(_out, "taken", RunFolder.ManifestFile), "{\"run_id\": \"taken\", \"seed\": 99}");
        var error = new StringWriter();
        var old = Console.Error;
        Console.SetError(error);
        try
        {
            var code = CoordinatorApp.RunCli(["run", "--base", _base, "--guide", _guide, "--arms", "base", "--limit", "1",
                "--tasks-dir", Path.Combine(Repo, "tasks"), "--data-dir", Path.Combine(Repo, "data"), "--out", _out, "--run-id", "taken"]);
            Assert.Equal(1, code);
        }
        finally
        {
            Console.SetError(old);
        }
        Assert.Contains("different settings", Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }
}

using EvalCluster.Coordinator.Tests.Running;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>
/// The acceptance table of bad `run` inputs: each gives exit code 1, exactly one line on stderr naming what is wrong
/// and how to fix it, and leaves no run folder behind. Checked before any model work where the input allows it.
/// </summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class RunBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalcluster-run-bad-").FullName;

    public RunBadInputTests()
    {
        var tasks = Directory.CreateDirectory(Path.Combine(_dir, "tasks")).FullName;
        File.Copy(Path.Combine(RepoPaths.File("tasks"), "toy-plan.yaml"), Path.Combine(tasks, "toy-plan.yaml"));
        File.WriteAllText(Path.Combine(tasks, "broken.yaml"), "name: broken\ndataset: [\n");
        File.WriteAllText(Path.Combine(tasks, "escape.yaml"), "name: escape\ndataset:\n  file: ../../../../etc/passwd\n");
        File.WriteAllText(Path.Combine(tasks, "absolute.yaml"), "name: absolute\ndataset:\n  file: /etc/passwd\n");
        File.WriteAllText(Path.Combine(tasks, "stops.yaml"), "name: stops\ndataset:\n  file: toy-plan.jsonl\ngeneration:\n  stop: [\"\"]\n");
        File.WriteAllText(Path.Combine(tasks, "metric.yaml"), "name: metric\ndataset:\n  file: toy-plan.jsonl\nmetrics: [mean, pass_at_kk]\n");
        File.WriteAllText(Path.Combine(tasks, "choices.yaml"), "name: choices\ndataset:\n  file: toy-plan.jsonl\nfields:\n  choices: options\n");
        var toy = RepoPaths.File("models", "toy");
        foreach (var (name, file, content) in new[] { ("broken-onnx", "model.onnx", "not a protobuf"), ("broken-config", "config.json", "{bad") })
        {
            var model = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
            foreach (var f in Directory.EnumerateFiles(Path.Combine(toy, "base")))
            {
                File.Copy(f, Path.Combine(model, Path.GetFileName(f)));
            }
            File.WriteAllText(Path.Combine(model, file), content);
        }
        var calibration = File.ReadAllText(Path.Combine(toy, "calibration.json"));
        File.WriteAllText(Path.Combine(_dir, "cal-r7.json"), calibration.Replace("\"r\": 0.02", "\"r\": 7", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_dir, "cal-tau.json"), System.Text.RegularExpressions.Regex.Replace(calibration, "\"tau\": [0-9.]+", "\"tau\": -5"));
        File.WriteAllText(Path.Combine(_dir, "cal-lambda.json"), System.Text.RegularExpressions.Regex.Replace(calibration, "\"lambda\": [0-9.]+", "\"lambda\": -1"));
    }

    private string Out => Path.Combine(_dir, "runs");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("--max-new-tokens 0", "--max-new-tokens 0: must be at least 1")]
    [InlineData("--max-new-tokens=-1", "--max-new-tokens -1: must be at least 1")]
    [InlineData("--temperature=-1", "--temperature -1: must lie in 0..100")]
    [InlineData("--top-p 2", "--top-p 2: must satisfy 0 < P <= 1")]
    [InlineData("--max-in-flight=-1", "--max-in-flight -1: must lie in 0..4096")]
    [InlineData("--samples 0", "--samples 0: must be at least 1")]
    [InlineData("--limit 0", "--limit 0: must be at least 1")]
    [InlineData("--limit=-5", "--limit -5: must be at least 1")]
    [InlineData("--limit five", "--limit five: not a valid number")]
    [InlineData("-k 4", "-k 4: must lie in 1..--samples (1)")]
    [InlineData("--run-id ../escape", "--run-id ../escape: use letters, digits")]
    [InlineData("--fresh --resume", "--fresh and --resume contradict each other")]
    [InlineData("--resume", "no run to resume")]
    [InlineData("--base {dir}/nonexistent", "--base {dir}/nonexistent: model folder {dir}/nonexistent does not exist")]
    [InlineData("--base {dir}/broken-config", "broken-config/config.json: not valid JSON")]
    [InlineData("--base {dir}/broken-onnx", "broken-onnx/model.onnx: ONNX Runtime could not load the model")]
    [InlineData("--arms base,guided --calibration {dir}/cal-r7.json", "cal-r7.json: field entries[0].r: 7 must lie strictly between 0 and 1")]
    [InlineData("--arms base,guided --calibration {dir}/cal-tau.json", "cal-tau.json: field entries[0].tau: -5 must be finite and >= 0")]
    [InlineData("--arms base,guided --calibration {dir}/cal-lambda.json", "cal-lambda.json: field entries[0].lambda: -1 must be finite and >= 0")]
    [InlineData("--arms base,guided -r 0.04", "no calibration entry for r = 0.04 (it holds r = 0.02)")]
    [InlineData("--arms base,guided@r=7", "r must lie strictly between 0 and 1")]
    [InlineData("--arms guided@tau=-5,lambda=1,w=4", "tau must be >= 0")]
    [InlineData("--arms base,random", "add guided to --arms")]
    [InlineData("--arms guided,early@0.25", "add base to --arms")]
    [InlineData("--arms base,nonsense", "unknown arm 'nonsense'")]
    [InlineData("--task escape", "escape.yaml: field dataset.file: '../../../../etc/passwd' leads outside the data directory")]
    [InlineData("--task absolute", "absolute.yaml: field dataset.file: '/etc/passwd' leads outside the data directory")]
    [InlineData("--task broken", "broken.yaml: line")]
    [InlineData("--task stops", "stops.yaml: field generation.stop[0]")]
    [InlineData("--task metric", "metric.yaml: field metrics: unknown name 'pass_at_kk'")]
    [InlineData("--task choices", "choices.yaml: field prompt.base: fields.choices is set but the template has no {choices} placeholder")]
    [InlineData("--task toy-plann", "did you mean 'toy-plan'")]
    [InlineData("--arms base,guided --strict --tasks-dir {repo}/tasks --task gsm8k", "made on task 'toy-plan', not 'gsm8k'")]
    public void A_bad_run_input_exits_with_one_line_and_leaves_no_run_folder(string input, string expected)
    {
        string Fill(string s) => s.Replace("{dir}", _dir, StringComparison.Ordinal).Replace("{repo}", RepoPaths.Root, StringComparison.Ordinal);
        string[] args =
        [
            "run", "--arms", "base", "--tasks-dir", Path.Combine(_dir, "tasks"), "--data-dir", RepoPaths.File("data"),
            "--base", Path.Combine(RepoPaths.File("models", "toy"), "base"), "--guide", Path.Combine(RepoPaths.File("models", "toy"), "guide"),
            "--calibration", Path.Combine(RepoPaths.File("models", "toy"), "calibration.json"), "--limit", "2", "--max-new-tokens", "4", "--out", Out,
            .. Fill(input).Split(' '),
        ];

        var (exit, _, stderr) = ConsoleCapture.Run(args);

        Assert.Equal(1, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(Fill(expected), line);
        Assert.False(Directory.Exists(Out) && Directory.EnumerateFileSystemEntries(Out).Any(), "no run folder is left behind");
    }

    [Fact]
    public void A_malformed_task_file_does_not_break_a_run_of_another_task()
    {
        var (exit, _, stderr) = ConsoleCapture.Run(
            "run", "--arms", "base", "--task", "toy-plan", "--tasks-dir", Path.Combine(_dir, "tasks"), "--data-dir", RepoPaths.File("data"),
            "--base", Path.Combine(RepoPaths.File("models", "toy"), "base"), "--guide", Path.Combine(RepoPaths.File("models", "toy"), "guide"),
            "--limit", "2", "--max-new-tokens", "4", "--out", Out, "--run-id", "good");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(Out, "good", "samples.jsonl")).Length);

        var (lsExit, listing, _) = ConsoleCapture.Run("ls", "tasks", "--tasks-dir", Path.Combine(_dir, "tasks"), "--data-dir", RepoPaths.File("data"));
        Assert.Equal(0, lsExit);
        Assert.Contains(listing.Split('\n'), l => l.StartsWith("broken", StringComparison.Ordinal) && l.Contains("invalid: ", StringComparison.Ordinal));
        Assert.Contains(listing.Split('\n'), l => l.StartsWith("toy-plan", StringComparison.Ordinal) && l.Contains("270 problems", StringComparison.Ordinal));
    }

    [Fact]
    public void A_calibration_made_on_another_task_is_used_with_a_warning_unless_strict()
    {
        var (exit, _, stderr) = ConsoleCapture.Run(
            "run", "--arms", "base,guided", "--task", "gsm8k", "--tasks-dir", RepoPaths.File("tasks"), "--data-dir", Path.Combine(_dir, "no-data"),
            "--base", Path.Combine(RepoPaths.File("models", "toy"), "base"), "--guide", Path.Combine(RepoPaths.File("models", "toy"), "guide"),
            "--calibration", Path.Combine(RepoPaths.File("models", "toy"), "calibration.json"), "--out", Out);

        // Without --strict the run goes on past the calibration (here to the missing dataset, which fails it).
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("warning: ", lines[0]);
        Assert.Contains("made on task 'toy-plan', not 'gsm8k'", lines[0]);
        Assert.Contains("(--strict refuses it)", lines[0]);
        Assert.Contains("dataset file of task 'gsm8k' not found", lines[1]);
        Assert.Equal(1, exit);
    }
}

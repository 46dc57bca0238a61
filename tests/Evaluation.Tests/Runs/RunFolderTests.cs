using System.Text.Json.Nodes;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Evaluation.Tests.Runs;

public sealed class RunFolderTests
{
    internal static RunManifest Manifest(string runId = "run-1", long seed = 7) => new()
    {
        RunId = runId,
        Tasks = ["math500"],
        Arms = ["base", "guided", "reference"],
        Samples = 2,
        Seed = seed,
        Models = [new ModelFileInfo { Role = "base", Name = "toy-base", Sha256 = "ab" }],
        Settings = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
    };

    internal static SampleRecord Sample(string problem, int sample, string arm, bool correct, string? extracted = null) => new()
    {
        RunId = "run-1",
        Task = "math500",
        ProblemId = problem,
        Sample = sample,
        Arm = arm,
        Response = $"so \\boxed{{{extracted ?? (correct ? "4" : "5")}}}",
        Extracted = extracted ?? (correct ? "4" : "5"),
        Gold = "4",
        Correct = correct,
        ResponseTokens = 100,
        Takeovers = arm == "guided" ? 4 : 0,
        Rho = arm == "guided" ? 0.04 : 0,
        Subject = "Algebra",
        Level = "2",
    };

    [Fact]
    public void The_manifest_hash_ignores_run_id_time_and_dictionary_order_but_not_settings()
    {
        var a = Manifest();
        var b = Manifest("run-2") with
        {
            CreatedUtc = DateTimeOffset.UnixEpoch,
            Settings = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        };
        Assert.Equal(a.ContentHash(), b.ContentHash());
        Assert.NotEqual(a.ContentHash(), Manifest(seed: 8).ContentHash());
        Assert.Matches("^[0-9a-f]{64}$", a.ContentHash());
    }

    [Fact]
    public void Appended_samples_read_back_equal_and_the_manifest_round_trips()
    {
        var dir = TestPaths.NewTempDir();
        var records = new[] { Sample("p1", 0, "base", true), Sample("p1", 0, "guided", false) };
        using (var folder = RunFolder.CreateOrResume(dir, Manifest()))
        {
            foreach (var r in records)
            {
                folder.Append(r);
            }
        }
        using var reopened = RunFolder.Open(dir);
        Assert.Equal(records, reopened.ReadSamples());
        Assert.Equal(Manifest().ContentHash(), reopened.Manifest.ContentHash());
        var line = JsonNode.Parse(File.ReadLines(reopened.SamplesPath).First())!.AsObject();
        Assert.Equal("p1", (string?)line["problem_id"]);
        Assert.Equal(100, (int?)line["response_tokens"]);
    }

    [Fact]
    public void An_unterminated_last_line_from_a_crash_is_ignored_and_a_repeated_key_counts_once()
    {
        var dir = TestPaths.NewTempDir();
        using var folder = RunFolder.CreateOrResume(dir, Manifest());
        folder.Append(Sample("p1", 0, "base", true));
        folder.Append(Sample("p1", 0, "base", false));
        folder.Dispose();
        File.AppendAllText(folder.SamplesPath, "{\"run_id\":\"run-1\",\"task\":\"ma");
        var samples = folder.ReadSamples();
        Assert.True(Assert.Single(samples).Correct);
        Assert.Equal([new SampleKey("math500", "p1", 0, "base")], folder.CompletedKeys());
    }

    [Fact]
    public void A_corrupt_line_mid_file_is_skipped_and_reported_and_reading_goes_on()
    {
        var dir = TestPaths.NewTempDir();
        using var folder = RunFolder.CreateOrResume(dir, Manifest());
        folder.Append(Sample("p1", 0, "base", true));
        folder.Dispose();
        File.AppendAllText(folder.SamplesPath, "{oops}\n");
        using (var again = RunFolder.CreateOrResume(dir, Manifest()))
        {
            again.Append(Sample("p2", 0, "base", true));
        }
        Assert.Equal(["p1", "p2"], folder.ReadSamples().Select(s => s.ProblemId));
        Assert.StartsWith($"{folder.SamplesPath}: line 2: invalid sample record", Assert.Single(folder.Problems));
    }

    [Fact]
    public void Resuming_cuts_a_torn_last_line_before_appending_and_reports_it()
    {
        var dir = TestPaths.NewTempDir();
        using (var folder = RunFolder.CreateOrResume(dir, Manifest()))
        {
            folder.Append(Sample("p1", 0, "base", true));
        }
        var samples = Path.Combine(dir, RunFolder.SamplesFile);
        var clean = File.ReadAllText(samples);
        File.AppendAllText(samples, "{\"run_id\":\"run-1\",\"task\":\"ma");

        using (var resumed = RunFolder.CreateOrResume(dir, Manifest()))
        {
            Assert.Equal(clean, File.ReadAllText(samples));
            Assert.Contains("cut a torn last line", Assert.Single(resumed.Problems));
            resumed.Append(Sample("p2", 0, "base", false));
        }

        var lines = File.ReadAllLines(samples);
        Assert.Equal(2, lines.Length);
        using var reopened = RunFolder.Open(dir);
        Assert.Equal(["p1", "p2"], reopened.ReadSamples().Select(s => s.ProblemId));
        Assert.Empty(reopened.Problems);
    }

    [Fact]
    public void A_torn_line_with_a_record_glued_to_it_by_an_older_version_yields_that_record()
    {
        var dir = TestPaths.NewTempDir();
        using (var folder = RunFolder.CreateOrResume(dir, Manifest()))
        {
            folder.Append(Sample("p1", 0, "base", true));
        }
        var samples = Path.Combine(dir, RunFolder.SamplesFile);
        var whole = File.ReadAllText(samples).Replace("\"p1\"", "\"p2\"", StringComparison.Ordinal);
        File.AppendAllText(samples, "{\"run_id\":\"run-1\",\"task\":\"ma" + whole);

        using var reopened = RunFolder.Open(dir);
        Assert.Equal(["p1", "p2"], reopened.ReadSamples().Select(s => s.ProblemId));
        Assert.Contains("kept the whole one", Assert.Single(reopened.Problems));
    }

    [Fact]
    public void Resuming_with_the_same_settings_is_allowed_and_with_different_settings_is_refused()
    {
        var dir = TestPaths.NewTempDir();
        RunFolder.CreateOrResume(dir, Manifest()).Dispose();
        RunFolder.CreateOrResume(dir, Manifest()).Dispose();
        var ex = Assert.Throws<EvaluationException>(() => RunFolder.CreateOrResume(dir, Manifest(seed: 99)));
        Assert.Contains("different settings", ex.Message);
    }

    [Fact]
    public void Opening_a_folder_without_a_manifest_says_what_a_run_folder_holds()
    {
        var ex = Assert.Throws<EvaluationException>(() => RunFolder.Open(TestPaths.NewTempDir()));
        Assert.Contains("manifest.json", ex.Message);
    }

    [Fact]
    public void Concurrent_appends_never_interleave_lines()
    {
        var dir = TestPaths.NewTempDir();
        using var folder = RunFolder.CreateOrResume(dir, Manifest());
        Parallel.For(0, 400, i => folder.Append(Sample($"p{i}", 0, "base", i % 2 == 0)));
        Assert.Equal(400, folder.ReadSamples().Count);
    }
}

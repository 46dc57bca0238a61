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
    public void A_corrupt_complete_line_names_the_file_and_line()
    {
        var dir = TestPaths.NewTempDir();
        using var folder = RunFolder.CreateOrResume(dir, Manifest());
        folder.Append(Sample("p1", 0, "base", true));
        folder.Dispose();
        File.AppendAllText(folder.SamplesPath, "{oops}\n");
        var ex = Assert.Throws<EvaluationException>(() => folder.ReadSamples());
        Assert.StartsWith($"{folder.SamplesPath}: line 2: invalid sample record", ex.Message);
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

using System.Text.Json.Nodes;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Tests.Runs;

public sealed class ReportTests
{
    // 4 problems x 2 samples: base 2/8, reference 6/8, guided 4/8 -> recovery 0.5.
    private static RunFolder WriteRun(bool withTraces = false)
    {
        var folder = RunFolder.CreateOrResume(TestPaths.NewTempDir(), RunFolderTests.Manifest());
        bool[] baseCorrect = [true, true, false, false, false, false, false, false];
        bool[] refCorrect = [true, true, true, true, true, true, false, false];
        bool[] guidedCorrect = [true, true, true, true, false, false, false, false];
        for (var i = 0; i < 8; i++)
        {
            folder.Append(RunFolderTests.Sample($"p{i / 2}", i % 2, "base", baseCorrect[i]));
            folder.Append(RunFolderTests.Sample($"p{i / 2}", i % 2, "reference", refCorrect[i]));
            folder.Append(RunFolderTests.Sample($"p{i / 2}", i % 2, "guided", guidedCorrect[i]) with { Truncated = i == 7 });
        }
        if (withTraces)
        {
            File.WriteAllText(Path.Combine(folder.Path, RunFolder.TracesFile),
                "{\"task\":\"math500\",\"problem_id\":\"p0\",\"sample\":0,\"arm\":\"base\",\"scores\":[0.1,9.0,0.2,0.3]}\n");
        }
        return folder;
    }

    [Fact]
    public void The_summary_holds_per_arm_metrics_and_recovery_in_the_documented_shape()
    {
        using var folder = WriteRun();
        RunReporter.Write(folder);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, RunFolder.SummaryFile)))!;
        Assert.Equal("run-1", (string?)json["run_id"]);
        var guided = json["tasks"]!["math500"]!["arms"]!["guided"]!;
        Assert.Equal(8, (int?)guided["n"]);
        Assert.Equal(0.5, (double?)guided["accuracy"]);
        Assert.Equal(0.125, (double?)guided["truncated"]);
        Assert.Equal(0.04, (double)guided["rho"]!, 12);
        Assert.Equal(0.5, (double?)guided["pass_at_k"]!["2"]);
        Assert.NotNull(guided["ci_low"]);
        Assert.NotNull(guided["maj_at_k"]!["1"]);
        Assert.NotNull(guided["by_level"]!["2"]);
        var recovery = json["tasks"]!["math500"]!["recovery"]!["guided"]!;
        Assert.Equal(0.5, (double)recovery["value"]!, 12);
        Assert.Equal("reference", (string?)recovery["reference_arm"]);
    }

    [Fact]
    public void The_report_and_plots_are_written_and_the_position_histogram_only_with_traces()
    {
        using var folder = WriteRun();
        RunReporter.Write(folder);
        var report = File.ReadAllText(Path.Combine(folder.Path, RunFolder.ReportFile));
        Assert.Contains("| guided | 8 | 50.0 |", report);
        Assert.True(new FileInfo(Path.Combine(folder.Path, RunPlots.AccuracyPerArm)).Length > 1000);
        Assert.True(File.Exists(Path.Combine(folder.Path, RunPlots.AccuracyVsRho)));
        Assert.False(File.Exists(Path.Combine(folder.Path, RunPlots.TopTokenPositions)));

        using var traced = WriteRun(withTraces: true);
        RunReporter.Write(traced);
        Assert.True(File.Exists(Path.Combine(traced.Path, RunPlots.TopTokenPositions)));
    }

    [Fact]
    public void Top_token_positions_are_normalised_by_response_length()
    {
        var trace = new TraceRecord { Task = "t", ProblemId = "p", Scores = [0.1, 9.0, 0.2, 0.3] };
        Assert.Equal([0.25], RunPlots.TopTokenPositionsOf([trace]));
    }

    [Fact]
    public void Rescoring_regrades_saved_responses_and_rewrites_the_summary()
    {
        using var folder = RunFolder.CreateOrResume(TestPaths.NewTempDir(), RunFolderTests.Manifest());
        // Saved as wrong by an older grader: "4.0" is equal to "4".
        folder.Append(RunFolderTests.Sample("p0", 0, "base", correct: false, extracted: "4.0"));
        folder.Append(RunFolderTests.Sample("p1", 0, "base", correct: false, extracted: "5"));
        var result = Rescorer.Rescore(folder, new TaskRegistry(TestPaths.Tasks));
        Assert.Equal((2, 1), (result.Samples, result.Changed));
        Assert.Equal(0.5, result.Summary.Tasks["math500"].Arms["base"].Accuracy);
        Assert.True(folder.ReadSamples()[0].Correct);
    }

    [Fact]
    public void Reporting_a_run_without_samples_says_so()
    {
        using var folder = RunFolder.CreateOrResume(TestPaths.NewTempDir(), RunFolderTests.Manifest());
        var ex = Assert.Throws<EvaluationException>(() => RunReporter.Write(folder));
        Assert.Contains("no sample records", ex.Message);
    }
}

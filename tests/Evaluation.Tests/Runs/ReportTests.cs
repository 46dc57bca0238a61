using System.Text.Json.Nodes;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Tests.Runs;

public sealed class ReportTests
{
    // 4 problems x 2 samples: base 2/8, reference 6/8, guided 4/8 -> recovery 0.5.
    private static RunFolder WriteRun(bool withAnalysis = false)
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
        if (withAnalysis)
        {
            // The fields analyze writes (analysis.json), with the histogram of the global top 1% of 9900 tokens.
            File.WriteAllText(Path.Combine(folder.Path, TopTokenHistogram.AnalysisFile),
                "{\"score\": \"ce\", \"responses\": 270, \"tokens\": 9900, \"top1_percent_position_histogram\": [0, 90, 9, 0, 0, 0, 0, 0, 0, 0], " +
                "\"top1_percent_definition\": \"the global top 1% of tokens by disagreement score, pooled over all analysed responses\"}");
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
        Assert.Equal(0.04, (double)guided["rho_token_weighted"]!, 12);
        Assert.Equal((4, 2), ((int?)guided["problems"], (int?)guided["samples_per_problem"]));
        Assert.Equal(0.5, (double?)guided["pass_at_k"]!["2"]!["value"]);
        Assert.NotNull(guided["pass_at_k"]!["2"]!["low"]);
        Assert.NotNull(guided["ci_low"]);
        Assert.NotNull(guided["maj_at_k"]!["1"]);
        Assert.NotNull(guided["by_level"]!["2"]);
        var recovery = json["tasks"]!["math500"]!["recovery"]!["guided"]!;
        Assert.Equal(0.5, (double)recovery["value"]!, 12);
        Assert.Equal("reference", (string?)recovery["reference_arm"]);
        Assert.Contains("bootstrap over problems", (string?)json["intervals"]);
        var comparison = json["tasks"]!["math500"]!["comparisons"]!.AsArray().Single(c => (string?)c!["arm"] == "guided")!;
        Assert.Equal(("base", "paired-bootstrap"), ((string?)comparison["against"], (string?)comparison["test"]));
    }

    [Fact]
    public void The_report_states_percent_intervals_and_p_values_and_the_position_histogram_comes_only_from_analysis_json()
    {
        using var folder = WriteRun();
        RunReporter.Write(folder);
        var report = File.ReadAllText(Path.Combine(folder.Path, RunFolder.ReportFile));
        Assert.Contains("| guided | 8 | 4 x 2 | 50.0 |", report);
        Assert.Contains("| guided - base | 4 |", report);
        Assert.Contains("p-value", report);
        Assert.Contains("bootstrap over problems", report);
        Assert.Contains("[report.html](report.html)", report);
        Assert.True(new FileInfo(Path.Combine(folder.Path, RunPlots.AccuracyPerArm + ".png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(folder.Path, RunPlots.AccuracyPerArm + ".svg")));
        Assert.True(File.Exists(Path.Combine(folder.Path, RunPlots.BudgetCurve + ".math500.png")));
        Assert.True(File.Exists(Path.Combine(folder.Path, RunPlots.BudgetCurvePass + ".math500.svg")));
        Assert.False(File.Exists(Path.Combine(folder.Path, RunPlots.TopTokenPositions + ".png")));
        // The viewer: one page with the plots inline and no network reference, samples in side files.
        var html = File.ReadAllText(Path.Combine(folder.Path, RunViewer.File));
        Assert.Contains("data:image/png;base64,", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.StartsWith("EVC.index(", File.ReadAllText(Path.Combine(folder.Path, RunViewer.Folder, "index.js")));
        Assert.Contains("\"so \\\\boxed{4}\"", File.ReadAllText(Path.Combine(folder.Path, RunViewer.Folder, "samples-00000.js")));

        using var analysed = WriteRun(withAnalysis: true);
        RunReporter.Write(analysed);
        Assert.True(File.Exists(Path.Combine(analysed.Path, RunPlots.TopTokenPositions + ".png")));
        var analysedReport = File.ReadAllText(Path.Combine(analysed.Path, RunFolder.ReportFile));
        Assert.Contains("pooled over all analysed responses", analysedReport);
        Assert.Contains("99 of 9900 tokens", analysedReport);
    }

    [Fact]
    public void A_trace_whose_scores_are_not_base64_is_named_with_the_fix()
    {
        using var folder = WriteRun();
        folder.Append(RunFolderTests.Sample("p9", 0, "base", true) with { Trace = new SampleTokenTrace("b", "not base64!", [1]) });
        var ex = Assert.Throws<EvaluationException>(() => RunReporter.Write(folder));
        Assert.Contains("math500/p9/0/base: trace.scores_f16 is not base64", ex.Message);
        Assert.False(File.Exists(Path.Combine(folder.Path, RunFolder.SummaryFile)));
    }

    [Fact]
    public void A_broken_analysis_file_is_named_with_the_fix()
    {
        using var folder = WriteRun();
        File.WriteAllText(Path.Combine(folder.Path, TopTokenHistogram.AnalysisFile), "{\"score\": \"ce\"}");
        var ex = Assert.Throws<EvaluationException>(() => RunReporter.Write(folder));
        Assert.Contains("analysis.json: field top1_percent_position_histogram missing", ex.Message);
        Assert.False(File.Exists(Path.Combine(folder.Path, RunFolder.SummaryFile)));
    }

    [Fact]
    public void Rescoring_regrades_saved_responses_and_rewrites_the_summary()
    {
        using var folder = RunFolder.CreateOrResume(TestPaths.NewTempDir(), RunFolderTests.Manifest());
        // Saved as wrong by an older grader: "4.0" is equal to "4".
        folder.Append(RunFolderTests.Sample("p0", 0, "base", correct: false, extracted: "4.0"));
        folder.Append(RunFolderTests.Sample("p1", 0, "base", correct: false, extracted: "5"));
        var result = Rescorer.Rescore(folder, new TaskRegistry(RepoPaths.File("tasks")));
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

using EvalCluster.Evaluation.Metrics;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tests.Runs;

namespace EvalCluster.Evaluation.Tests.Metrics;

public sealed class SummaryBuilderTests
{
    // 3 problems x 2 samples of one arm; answers "4" (right) or "5" (wrong), subjects and levels mixed.
    private static readonly SampleRecord[] Samples =
    [
        RunFolderTests.Sample("p0", 0, "base", correct: true) with { Subject = "Algebra", Level = "1" },
        RunFolderTests.Sample("p0", 1, "base", correct: false) with { Subject = "Algebra", Level = "1" },
        RunFolderTests.Sample("p1", 0, "base", correct: true) with { Subject = "Geometry", Level = "1" },
        RunFolderTests.Sample("p1", 1, "base", correct: true) with { Subject = "Geometry", Level = "1" },
        RunFolderTests.Sample("p2", 0, "base", correct: false) with { Subject = "Geometry", Level = "3", Truncated = true },
        RunFolderTests.Sample("p2", 1, "base", correct: false) with { Subject = null, Level = "3" },
    ];

    [Fact]
    public void Per_subject_and_per_level_tables_hold_hand_computed_accuracies()
    {
        var arm = SummaryBuilder.Build("r", Samples).Tasks["math500"].Arms["base"];

        Assert.Equal(["(none)", "Algebra", "Geometry"], arm.BySubject!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((2, 0.5), (arm.BySubject["Algebra"].N, arm.BySubject["Algebra"].Accuracy));
        Assert.Equal(3, arm.BySubject["Geometry"].N);
        Assert.Equal(0.5, arm.BySubject["Geometry"].Accuracy, 12); // mean over problems: p1 100%, p2 0%
        Assert.Equal((1, 0.0), (arm.BySubject["(none)"].N, arm.BySubject["(none)"].Accuracy));
        Assert.Equal((4, 0.75), (arm.ByLevel!["1"].N, arm.ByLevel["1"].Accuracy));
        Assert.Equal((2, 0.0), (arm.ByLevel["3"].N, arm.ByLevel["3"].Accuracy));
        // Geometry: p1 (2 of 2 right) and p2 (0 of 1): two problems, bootstrapped over problems.
        Assert.Equal(2, arm.BySubject["Geometry"].Problems);
        var ci = ProblemBootstrap.Mean([1.0, 0.0]);
        Assert.Equal((ci.Low, ci.High), (arm.BySubject["Geometry"].CiLow, arm.BySubject["Geometry"].CiHigh));
    }

    [Fact]
    public void Accuracy_pass_at_k_maj_at_k_and_the_truncated_share_equal_hand_computed_values()
    {
        var arm = SummaryBuilder.Build("r", Samples).Tasks["math500"].Arms["base"];

        Assert.Equal((6, 3, 2, 0.5), (arm.N, arm.Problems, arm.SamplesPerProblem, arm.Accuracy));
        var ci = ProblemBootstrap.Mean([0.5, 1.0, 0.0]);
        Assert.Equal((ci.Low, ci.High), (arm.CiLow, arm.CiHigh));
        Assert.Equal(1.0 / 6, arm.Truncated, 12);
        // pass@1 = mean of c/n = (1/2 + 1 + 0) / 3; pass@2 = (1 + 1 + 0) / 3.
        Assert.Equal(0.5, arm.PassAtK[1].Value, 12);
        Assert.Equal(2.0 / 3, arm.PassAtK[2].Value, 12);
        // maj@2: p0 ties 4 against 5 and the first answer (4, right) wins; p1 right; p2 wrong.
        Assert.Equal(2.0 / 3, arm.MajAtK[2].Value, 12);
    }

    [Fact]
    public void An_arm_without_subjects_has_no_subject_table()
    {
        var arm = SummaryBuilder.Build("r", [.. Samples.Select(s => s with { Subject = null })]).Tasks["math500"].Arms["base"];

        Assert.Null(arm.BySubject);
        Assert.NotNull(arm.ByLevel);
    }

    [Fact]
    public void Rho_is_reported_as_the_mean_of_per_response_ratios_and_token_weighted()
    {
        SampleRecord[] samples =
        [
            RunFolderTests.Sample("p0", 0, "guided", true) with { ResponseTokens = 100, Takeovers = 4, Rho = 0.04 },
            RunFolderTests.Sample("p1", 0, "guided", true) with { ResponseTokens = 10, Takeovers = 2, Rho = 0.2 },
        ];
        var arm = SummaryBuilder.Build("r", samples).Tasks["math500"].Arms["guided"];
        Assert.Equal(0.12, arm.Rho, 12);
        Assert.Equal(6.0 / 110, arm.RhoTokenWeighted, 12);
        Assert.Equal((6L, 110L), (arm.Takeovers, arm.ResponseTokens));
    }

    [Fact]
    public void Failed_samples_count_as_not_correct_are_listed_apart_and_stay_out_of_rho_and_votes()
    {
        SampleRecord[] samples =
        [
            RunFolderTests.Sample("p0", 0, "base", true) with { Rho = 0.1, ResponseTokens = 10, Takeovers = 1 },
            RunFolderTests.Sample("p1", 0, "base", false) with { Error = "prompt longer than the context", Response = "", Extracted = null, ResponseTokens = 0, Rho = 0 },
        ];
        var arm = SummaryBuilder.Build("r", samples).Tasks["math500"].Arms["base"];
        Assert.Equal((2, 1, 1, 0.5), (arm.N, arm.Correct, arm.Failed, arm.Accuracy));
        Assert.Equal(0.1, arm.Rho, 12);
        Assert.Equal(0, arm.Truncated);
    }

    [Fact]
    public void Declared_task_metrics_select_what_the_summary_shows()
    {
        var metrics = new Dictionary<string, IReadOnlyList<string>> { ["math500"] = ["mean"] };
        var task = SummaryBuilder.Build("r", Samples, metrics).Tasks["math500"];
        Assert.Equal(["mean"], task.Metrics);
        Assert.Empty(task.Arms["base"].PassAtK);
        Assert.Empty(task.Arms["base"].MajAtK);
        Assert.Equal(SummaryBuilder.AllMetrics, SummaryBuilder.Build("r", Samples).Tasks["math500"].Metrics);
        // The run carries each task's declared list in the manifest settings.
        var manifest = RunFolderTests.Manifest() with { Settings = new Dictionary<string, string> { ["metrics:math500"] = "mean, pass_at_k", ["seed"] = "1" } };
        Assert.Equal(new Dictionary<string, IReadOnlyList<string>> { ["math500"] = ["mean", "pass_at_k"] }, SummaryBuilder.DeclaredMetrics(manifest));
    }

    [Fact]
    public void Every_arm_is_compared_with_base_on_shared_problems_and_a_matched_arm_with_its_guided_arm()
    {
        // Greedy: guided right on p0-p5, base right on p5 only, random right on p0 only.
        var samples = Enumerable.Range(0, 8).SelectMany(i => new[]
        {
            RunFolderTests.Sample($"p{i}", 0, "base", i == 5),
            RunFolderTests.Sample($"p{i}", 0, "guided", i <= 5),
            RunFolderTests.Sample($"p{i}", 0, "random", i == 0),
        });
        var comparisons = SummaryBuilder.Build("r", samples).Tasks["math500"].Comparisons;
        Assert.Equal([("guided", "base"), ("guided", "random"), ("random", "base")],
            comparisons.Select(c => (c.Arm, c.Against)).Order());
        var guided = comparisons.Single(c => c.Arm == "guided" && c.Against == "base");
        // Discordant: guided only on p0-p4 (5), base only on none: p = 2 / 2^5.
        Assert.Equal((8, 5.0 / 8, PairedTest.McNemar), (guided.Problems, guided.Difference, guided.Test));
        Assert.Equal(0.0625, guided.PValue, 12);
    }
}

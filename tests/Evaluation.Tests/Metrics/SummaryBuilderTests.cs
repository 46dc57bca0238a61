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
        Assert.Equal(2.0 / 3, arm.BySubject["Geometry"].Accuracy, 12);
        Assert.Equal((1, 0.0), (arm.BySubject["(none)"].N, arm.BySubject["(none)"].Accuracy));
        Assert.Equal((4, 0.75), (arm.ByLevel!["1"].N, arm.ByLevel["1"].Accuracy));
        Assert.Equal((2, 0.0), (arm.ByLevel["3"].N, arm.ByLevel["3"].Accuracy));
        var wilson = WilsonInterval.Compute(2, 3);
        Assert.Equal((wilson.Low, wilson.High), (arm.BySubject["Geometry"].CiLow, arm.BySubject["Geometry"].CiHigh));
    }

    [Fact]
    public void Accuracy_pass_at_k_maj_at_k_and_the_truncated_share_equal_hand_computed_values()
    {
        var arm = SummaryBuilder.Build("r", Samples).Tasks["math500"].Arms["base"];

        Assert.Equal((6, 3, 0.5), (arm.N, arm.Problems, arm.Accuracy));
        Assert.Equal(1.0 / 6, arm.Truncated, 12);
        // pass@1 = mean of c/n = (1/2 + 1 + 0) / 3; pass@2 = (1 + 1 + 0) / 3.
        Assert.Equal(0.5, arm.PassAtK[1], 12);
        Assert.Equal(2.0 / 3, arm.PassAtK[2], 12);
        // maj@2: p0 ties 4 against 5 and the first answer (4, right) wins; p1 right; p2 wrong.
        Assert.Equal(2.0 / 3, arm.MajAtK[2], 12);
    }

    [Fact]
    public void An_arm_without_subjects_has_no_subject_table()
    {
        var arm = SummaryBuilder.Build("r", [.. Samples.Select(s => s with { Subject = null })]).Tasks["math500"].Arms["base"];

        Assert.Null(arm.BySubject);
        Assert.NotNull(arm.ByLevel);
    }
}

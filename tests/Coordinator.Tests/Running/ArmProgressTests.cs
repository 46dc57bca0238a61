using EvalCluster.Coordinator.Running;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Tests.Running;

public sealed class ArmProgressTests
{
    private static SampleRecord Result(bool correct, int tokens = 50, string? error = null) => new()
    {
        RunId = "r", Task = "t", ProblemId = "p", Sample = 0, Arm = "guided", Correct = correct, ResponseTokens = tokens, Error = error,
    };

    [Fact]
    public void The_label_shows_done_over_total_accuracy_in_percent_rates_and_the_eta()
    {
        var arm = new ArmProgressView.ArmProgress("guided", 100);
        arm.Add(Result(true), resumed: true, now: 0); // resumed: counts as done, not in the rate
        Assert.Equal("guided 1/100 acc 100.0%", arm.Describe());
        // Fresh results at 10 s, 12 s, 14 s: 2 generations in 4 s after the first = 0.5 gen/s, 25 tok/s.
        arm.Add(Result(false), resumed: false, now: 10);
        arm.Add(Result(true), resumed: false, now: 12);
        arm.Add(Result(false, error: "prompt too long"), resumed: false, now: 14);
        // 4 done, 96 left at 0.5 gen/s: 192 s.
        Assert.Equal("guided 4/100 acc 50.0% failed 1 0.50 gen/s 25 tok/s ETA 3m12s", arm.Describe());
    }
}

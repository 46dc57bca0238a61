using System.Text.Json;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Runs;
using EvalCluster.Coordinator.Running;
using EvalCluster.Coordinator.Tests.Commands;
using EvalCluster.Evaluation.Runs;
using EvalCluster.TestModels;

namespace EvalCluster.Coordinator.Tests.Running;

/// <summary>Arms that need another model (`reference`) or another arm's results (`early@RHO`), end to end and in parts.</summary>
[Collection(EmbeddedRunCollection.Name)]
public sealed class ArmDependencyTests : IDisposable
{
    private readonly string _base = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 41, WeightScale: 2f), "base");
    private readonly string _guide = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 3, Seed: 42, WeightScale: 2f, ChatTemplate: true), "guide");
    private readonly string _reference = TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, Seed: 43, WeightScale: 2f, ChatTemplate: true), "reference");
    private readonly string _out = Path.Combine(Path.GetTempPath(), "evalcluster-runs", Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_run_with_reference_and_early_arms_uses_the_reference_for_recovery_and_sizes_early_from_the_base()
    {
        Assert.Equal(0, CoordinatorApp.RunCli([.. Args("base,reference,early@0.5"), "--reference", _reference]));

        var samples = RunFolder.Open(Path.Combine(_out, "deps")).ReadSamples();
        Assert.Equal(9, samples.Count);
        foreach (var early in samples.Where(s => s.Arm == "early@0.5"))
        {
            var baseLength = samples.Single(s => s.Arm == "base" && s.ProblemId == early.ProblemId).ResponseTokens;
            var k = (int)Math.Round(0.5 * baseLength, MidpointRounding.AwayFromZero);
            Assert.Equal(Math.Min(k, early.ResponseTokens), early.Takeovers);
        }
        // Like the guide arm, every token of the reference arm comes from the second model.
        Assert.All(samples.Where(s => s.Arm == "reference"), s => Assert.Equal(s.ResponseTokens, s.Takeovers));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_out, "deps", RunFolder.SummaryFile)));
        var recovery = summary.RootElement.GetProperty("tasks").GetProperty("toy-plan").GetProperty("recovery");
        Assert.Equal("reference", recovery.GetProperty("early@0.5").GetProperty("reference_arm").GetString());
    }

    [Fact]
    public void The_reference_arm_on_a_lane_without_a_reference_model_fails_with_one_line_before_the_run_folder_exists()
    {
        var error = new StringWriter();
        var old = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, CoordinatorApp.RunCli(Args("base,reference")));
        }
        finally
        {
            Console.SetError(old);
        }
        var message = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--reference DIR", message);
        Assert.False(Directory.Exists(Path.Combine(_out, "deps")));
    }

    [Fact]
    public void Deferred_requests_get_the_base_length_of_their_own_problem_and_sample_and_the_guided_rho()
    {
        GenerationRequest Request(string problem, int sample, string arm) => new()
        {
            RunId = "r", Key = new ResultKey("t", problem, sample, arm), BasePrompt = "", ChatPrompt = "", ArmSpec = arm, Decode = new DecodeSettings(),
        };
        SampleRecord Done(string problem, int sample, string arm, int tokens, double rho) => new()
        {
            RunId = "r", Task = "t", ProblemId = problem, Sample = sample, Arm = arm, ResponseTokens = tokens, Rho = rho,
        };
        var done = new[] { Done("p", 0, "base", 10, 0), Done("p", 1, "base", 20, 0), Done("p", 0, "guided", 9, 0.1), Done("p", 1, "guided", 9, 0.3) };

        var completed = DeferredArms.Complete([Request("p", 1, "early@0.5"), Request("p", 0, "early"), Request("p", 0, "random")],
            ["base", "guided", "early@0.5", "early", "random"], done);

        Assert.Equal(20, completed[0].BaseResponseLength);
        Assert.Equal("early@0.5", completed[0].ArmSpec);
        Assert.Equal(10, completed[1].BaseResponseLength);
        Assert.Equal("early@rho=0.2", completed[1].ArmSpec);
        Assert.Null(completed[2].BaseResponseLength);
        Assert.Equal("random@rho=0.2", completed[2].ArmSpec);
        Assert.True(DeferredArms.IsDeferred("early@0.5"));
        Assert.False(DeferredArms.IsDeferred("early@k=3"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private string[] Args(string arms) =>
    [
        "run", "--task", "toy-plan", "--arms", arms, "--limit", "3", "--max-new-tokens", "8", "--base", _base, "--guide", _guide,
        "--tasks-dir", Path.Combine(RepoPaths.Root, "tasks"), "--data-dir", Path.Combine(RepoPaths.Root, "data"), "--out", _out, "--run-id", "deps",
    ];
}

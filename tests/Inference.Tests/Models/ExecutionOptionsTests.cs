using EvalCluster.Inference.Models;

namespace EvalCluster.Inference.Tests.Models;

public sealed class ExecutionOptionsTests(TestModelFixture models) : IClassFixture<TestModelFixture>
{
    private static readonly int[] Prompt = [72, 101, 108, 108, 111];

    [Fact]
    public void Explicit_thread_counts_load_and_give_the_default_log_probabilities()
    {
        using var threaded = OnnxCausalLm.Load(models.Float32, new ExecutionOptions("cpu", IntraOpThreads: 1, InterOpThreads: 1));
        using var plain = OnnxCausalLm.Load(models.Float32, ExecutionOptions.Cpu);

        var a = threaded.Forward([new ForwardRequest(threaded.OpenSession(), Prompt)])[0].Last;
        var b = plain.Forward([new ForwardRequest(plain.OpenSession(), Prompt)])[0].Last;

        Assert.Equal("cpu", threaded.Device);
        Assert.InRange(a.Zip(b, (x, y) => Math.Abs(x - y)).Max(), 0, 1e-5);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -2)]
    public void A_negative_thread_count_is_rejected_with_both_values(int intra, int inter)
    {
        var ex = Assert.Throws<InferenceException>(() => OnnxCausalLm.Load(models.Float32, new ExecutionOptions("cpu", intra, inter)));

        Assert.Contains($"intra-op {intra}, inter-op {inter}", ex.Message);
    }
}

using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Sampling;
using EvalCluster.Inference.Tests.Divergence;

namespace EvalCluster.Inference.Tests.Decoding;

/// <summary>The state machine on hand-made distributions, without any model.</summary>
public sealed class GuidedSequenceTests
{
    private static readonly float[] BaseLp = DivergenceKernelsTests.Log([0.5, 0.3, 0.2]);
    private static readonly float[] GuideLp = DivergenceKernelsTests.Log([0.1, 0.2, 0.7]);
    private static readonly IReadOnlySet<int> Eos = new HashSet<int> { 2 };

    [Fact]
    public void An_arm_spec_builds_a_sequence_with_its_gate_score_and_cap()
    {
        var arm = ArmSpec.Parse("guided@tau=0,lambda=0,w=2,cap=1,score=tv");
        var sequence = GuidedSequence.ForArm(arm, 0, SamplingOptions.Greedy, new SequenceRandom(1), 10, new HashSet<int>());
        Assert.True(sequence.NeedsGuide(BaseLp));
        var first = sequence.Step(BaseLp, GuideLp);
        Assert.Equal((2, TokenSource.Guide), (first.Token, first.Source));
        Assert.Equal(0.5, first.Score, 6); // TV = (0.4 + 0.1 + 0.5) / 2
        // Cap reached: the gate is not asked, the guide is not needed.
        Assert.False(sequence.NeedsGuide(BaseLp));
        Assert.Equal((0, TokenSource.Base), (sequence.Step(BaseLp, null).Token, sequence.Trace[1].Source));
        Assert.Equal(0.5, sequence.Rho);
    }

    [Fact]
    public void A_step_that_needs_the_guide_refuses_to_run_without_it()
    {
        var sequence = new GuidedSequence(new GuidedGate(0, 1, 4), Inference.Divergence.DivergenceKind.CrossEntropy,
            SamplingOptions.Greedy, new SequenceRandom(1), 10, Eos);
        Assert.Throws<InvalidOperationException>(() => sequence.Step(BaseLp, null));
    }

    [Fact]
    public void An_end_of_sequence_token_finishes_the_sequence_and_the_trace_records_both_models()
    {
        var sequence = new GuidedSequence(new GuideGate(), Inference.Divergence.DivergenceKind.CrossEntropy,
            SamplingOptions.Greedy, new SequenceRandom(1), 10, Eos);
        Assert.True(sequence.NeedsGuide(null));
        var decision = sequence.Step(null, GuideLp);
        Assert.True(decision.Finished);
        Assert.Equal(FinishReason.Eos, sequence.FinishReason);
        Assert.Equal(Math.Log(0.7), decision.Trace.GuideLogProb, 6);
        Assert.True(double.IsNaN(decision.Trace.BaseLogProb));
        Assert.Throws<InvalidOperationException>(() => sequence.Step(null, GuideLp));
    }
}

using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Inference.Tests.Decoding;

public sealed class DualModelDecoderTests(DecodingModels models) : IClassFixture<DecodingModels>
{
    [Theory]
    [InlineData(GuideMode.Lazy)]
    [InlineData(GuideMode.Eager)]
    public void Guided_with_tau_minus_infinity_and_lambda_zero_equals_the_guide_alone_token_for_token(GuideMode mode)
    {
        var guided = models.Run(_ => new GuidedGate(double.NegativeInfinity, 0, 4), mode);
        var guide = models.Run(_ => new GuideGate(), mode, withBase: false);
        for (var i = 0; i < DecodingModels.PromptCount; i++)
        {
            Assert.Equal(guide.Sequences[i].Tokens, guided.Sequences[i].Tokens);
            Assert.All(guided.Sequences[i].Trace, t => Assert.Equal(TokenSource.Guide, t.Source));
        }
        Assert.Equal(1.0, guided.Sequences[0].Rho);
    }

    [Fact]
    public void Guided_with_tau_plus_infinity_equals_the_base_alone_token_for_token()
    {
        var guided = models.Run(_ => new GuidedGate(double.PositiveInfinity, 1, 4), GuideMode.Lazy);
        var baseAlone = models.Run(_ => new BaseGate(), GuideMode.Lazy, withGuide: false);
        for (var i = 0; i < DecodingModels.PromptCount; i++)
        {
            Assert.Equal(baseAlone.Sequences[i].Tokens, guided.Sequences[i].Tokens);
            Assert.Equal(0, guided.Sequences[i].Takeovers);
        }
        Assert.Equal(0, baseAlone.Counters.GuideForwardCalls);
        // The two models really differ, so the equalities above are not vacuous.
        var guide = models.Run(_ => new GuideGate(), GuideMode.Lazy, withBase: false);
        Assert.Contains(Enumerable.Range(0, DecodingModels.PromptCount), i => !guide.Sequences[i].Tokens.SequenceEqual(baseAlone.Sequences[i].Tokens));
        Assert.All(baseAlone.Sequences, s => Assert.True(s.Tokens.Count > 3));
    }

    [Fact]
    public void Takeovers_happen_exactly_where_the_gate_condition_holds_in_the_trace()
    {
        const int window = 4;
        const double lambda = 1.0;
        var probe = models.Run(_ => new BaseGate(), GuideMode.Eager);
        var scores = probe.Sequences.SelectMany(s => s.Trace.Select(t => t.Score)).Order().ToArray();
        var tau = scores[scores.Length / 2];
        var run = models.Run(_ => new GuidedGate(tau, lambda, window), GuideMode.Lazy);
        var takeovers = 0;
        foreach (var sequence in run.Sequences)
        {
            var s = sequence.Trace.Select(t => t.Score).ToArray();
            for (var t = 0; t < s.Length; t++)
            {
                var earlier = s[Math.Max(0, t - window)..t];
                var holds = s[t] > tau && (earlier.Length == 0 || s[t] > lambda * earlier.Average());
                Assert.Equal(holds ? TokenSource.Guide : TokenSource.Base, sequence.Trace[t].Source);
                takeovers += holds ? 1 : 0;
            }
        }
        Assert.InRange(takeovers, 1, run.Counters.GeneratedTokens - 1);
    }

    [Fact]
    public void After_every_takeover_the_base_proposes_the_next_token_from_a_context_holding_the_guide_token()
    {
        var run = models.Run(i => new RandomGate(0.3, (ulong)i), GuideMode.Lazy);
        var checkedSteps = 0;
        for (var i = 0; i < DecodingModels.PromptCount; i++)
        {
            var sequence = run.Sequences[i];
            for (var t = 0; t + 1 < sequence.Tokens.Count; t++)
            {
                if (sequence.Trace[t].Source != TokenSource.Guide)
                {
                    continue;
                }
                var next = sequence.Trace[t + 1];
                var bare = models.BareBase(i, sequence.Tokens.Take(t + 1));
                Assert.Equal(bare[next.Token], next.BaseLogProb, 4);
                checkedSteps++;
            }
        }
        Assert.True(checkedSteps > 0);
    }

    [Fact]
    public void Both_kv_caches_hold_the_same_response_tokens()
    {
        var eager = models.Run(_ => new GuidedGate(3, 1.2, 4), GuideMode.Eager);
        foreach (var sequence in eager.Sequences)
        {
            var fed = sequence.Tokens.Take(sequence.Tokens.Count - 1).ToArray();
            Assert.Equal(fed, sequence.BaseContext);
            Assert.Equal(fed, sequence.GuideContext);
        }
        var lazy = models.Run(_ => new EntropyGate(4.5), GuideMode.Lazy);
        foreach (var sequence in lazy.Sequences)
        {
            Assert.Equal(sequence.Tokens.Take(sequence.GuideContext.Count), sequence.GuideContext);
            Assert.Equal(sequence.Tokens.Take(sequence.Tokens.Count - 1), sequence.BaseContext);
        }
    }

    [Fact]
    public void The_cap_on_takeovers_is_never_exceeded()
    {
        var run = models.Run(_ => new GuidedGate(double.NegativeInfinity, 0, 4), GuideMode.Lazy, cap: 3);
        foreach (var sequence in run.Sequences)
        {
            Assert.Equal(Math.Min(3, sequence.Tokens.Count), sequence.Takeovers);
            Assert.All(sequence.Trace, t => Assert.Equal(t.Position < 3 ? TokenSource.Guide : TokenSource.Base, t.Source));
        }
        var random = models.Run(i => new RandomGate(0.5, (ulong)i), GuideMode.Lazy, cap: 2, copies: 4);
        Assert.All(random.Sequences, s => Assert.InRange(s.Takeovers, 0, 2));
        Assert.Contains(random.Sequences, s => s.Takeovers == 2);
    }

    [Fact]
    public void Over_many_seeded_samples_the_random_arm_realises_rho()
    {
        var run = models.Run(i => new RandomGate(0.2, (ulong)i * 7919), GuideMode.Lazy, maxNewTokens: 40, copies: 12);
        var takeovers = run.Sequences.Sum(s => s.Takeovers);
        Assert.InRange((double)takeovers / run.Counters.GeneratedTokens, 0.15, 0.25);
        // The lazy guide is consulted exactly when it speaks.
        Assert.Equal(takeovers, run.Counters.GuideConsultations);
    }

    [Fact]
    public void The_guide_alone_arm_never_steps_the_base_and_the_base_arm_never_steps_the_guide()
    {
        var guide = models.Run(_ => new GuideGate(), GuideMode.Lazy, withBase: false);
        Assert.Equal(0, guide.Counters.BaseForwardCalls);
        Assert.All(guide.Sequences, s => Assert.All(s.Trace, t => Assert.True(double.IsNaN(t.BaseLogProb))));
        var baseAlone = models.Run(_ => new BaseGate(), GuideMode.Lazy, withGuide: false);
        Assert.Equal(0, baseAlone.Counters.GuideConsultations);
        Assert.All(baseAlone.Sequences, s => Assert.All(s.Trace, t => Assert.True(double.IsNaN(t.GuideLogProb))));
        Assert.Throws<InferenceException>(() => models.Run(_ => new EntropyGate(0), GuideMode.Lazy, withGuide: false));
    }
}

using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;

namespace EvalCluster.Inference.Tests.Decoding;

public sealed class LazyGuideTests(DecodingModels models) : IClassFixture<DecodingModels>
{
    [Fact]
    public void One_multi_token_catch_up_gives_the_log_probabilities_of_stepping_every_token()
    {
        var prompt = DecodingModels.GuidePrompt(1);
        int[] response = [65, 66, 32, 49, 50, 10, 120, 61, 55];
        var stepped = models.Guide.OpenSession();
        var perToken = new List<float[]> { models.Guide.Forward([new ForwardRequest(stepped, prompt)])[0].Last };
        foreach (var token in response)
        {
            perToken.Add(models.Guide.Forward([new ForwardRequest(stepped, new[] { token })])[0].Last);
        }
        var lazy = models.Guide.OpenSession();
        var caughtUp = models.Guide.Forward([new ForwardRequest(lazy, prompt.Concat(response[..4]).ToArray())])[0].Last;
        var caughtUpAgain = models.Guide.Forward([new ForwardRequest(lazy, response[4..])])[0].Last;
        Assert.InRange(MaxAbsDiff(perToken[4], caughtUp), 0, 1e-4);
        Assert.InRange(MaxAbsDiff(perToken[^1], caughtUpAgain), 0, 1e-4);
    }

    [Fact]
    public void A_lazy_guide_decodes_the_same_tokens_and_guide_values_as_an_eager_one_at_a_fraction_of_the_cost()
    {
        var probe = models.Run(_ => new BaseGate(), GuideMode.Eager);
        var entropies = probe.Sequences.SelectMany(s => s.Trace.Select(t => t.BaseEntropy)).Order().ToArray();
        var threshold = entropies[entropies.Length * 3 / 4];
        var lazy = models.Run(_ => new EntropyGate(threshold), GuideMode.Lazy);
        var eager = models.Run(_ => new EntropyGate(threshold), GuideMode.Eager);
        var compared = 0;
        for (var i = 0; i < DecodingModels.PromptCount; i++)
        {
            Assert.Equal(eager.Sequences[i].Tokens, lazy.Sequences[i].Tokens);
            foreach (var (l, e) in lazy.Sequences[i].Trace.Zip(eager.Sequences[i].Trace).Where(p => p.First.Source == TokenSource.Guide))
            {
                Assert.InRange(Math.Abs(l.GuideLogProb - e.GuideLogProb), 0, 1e-4);
                Assert.InRange(Math.Abs(l.GuideEntropy - e.GuideEntropy), 0, 1e-4);
                compared++;
            }
        }
        Assert.True(compared > 0);
        Assert.True(lazy.Counters.GuideConsultationsPerToken < eager.Counters.GuideConsultationsPerToken);
        Assert.Equal(1.0, eager.Counters.GuideConsultationsPerToken);
        Assert.True(lazy.Counters.GuideForwardCalls < eager.Counters.GuideForwardCalls);
    }

    [Fact]
    public void A_pre_filtered_guided_gate_consults_the_guide_only_at_uncertain_steps()
    {
        var run = models.Run(_ => new GuidedGate(0, 1, 4, prefilterEntropy: 100), GuideMode.Lazy);
        Assert.Equal(0, run.Counters.GuideConsultations);
        Assert.All(run.Sequences, s => Assert.All(s.Trace, t => Assert.True(double.IsNaN(t.Score))));
    }

    private static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
}

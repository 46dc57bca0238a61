using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Tests.Sampling;

public sealed class SamplerTests
{
    private static readonly float[] LogProbs = Normalise([2.0f, 1.0f, 0.5f, 3.0f, -1f, float.NegativeInfinity]);

    [Fact]
    public void Temperature_zero_is_argmax()
    {
        Assert.Equal(3, Sampler.Sample(LogProbs, SamplingOptions.Greedy, new SequenceRandom(1)));
    }

    [Fact]
    public void Top_k_one_always_returns_the_argmax_at_any_temperature()
    {
        var rng = new SequenceRandom(5);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(3, Sampler.Sample(LogProbs, new SamplingOptions(Temperature: 2f, TopK: 1), rng));
        }
    }

    [Fact]
    public void Top_p_keeps_the_smallest_prefix_holding_the_mass()
    {
        var set = Sampler.CandidateSet(LogProbs, new SamplingOptions(Temperature: 1f, TopP: 0.8f));

        // p = [.23, .08, .05, .62, .01, 0]: 0.62 + 0.23 = 0.85 >= 0.8.
        Assert.Equal(new[] { 3, 0 }, set.Select(c => c.Id));
        Assert.Equal(1.0, set.Sum(c => c.P), 9);
    }

    [Fact]
    public void Sampling_frequencies_follow_the_distribution_and_never_pick_impossible_tokens()
    {
        var rng = new SequenceRandom(42);
        var counts = new int[LogProbs.Length];
        const int n = 20000;
        for (var i = 0; i < n; i++)
        {
            counts[Sampler.Sample(LogProbs, new SamplingOptions(Temperature: 1f), rng)]++;
        }

        Assert.Equal(0, counts[5]);
        for (var i = 0; i < 5; i++)
        {
            Assert.InRange(counts[i] / (double)n, Math.Exp(LogProbs[i]) - 0.015, Math.Exp(LogProbs[i]) + 0.015);
        }
    }

    [Fact]
    public void Derived_seeds_depend_on_every_part_of_the_sequence_identity()
    {
        var a = SequenceRandom.DeriveSeed(1, "p1", 0, "guided");

        Assert.Equal(a, SequenceRandom.DeriveSeed(1, "p1", 0, "guided"));
        Assert.NotEqual(a, SequenceRandom.DeriveSeed(2, "p1", 0, "guided"));
        Assert.NotEqual(a, SequenceRandom.DeriveSeed(1, "p2", 0, "guided"));
        Assert.NotEqual(a, SequenceRandom.DeriveSeed(1, "p1", 1, "guided"));
        Assert.NotEqual(a, SequenceRandom.DeriveSeed(1, "p1", 0, "random"));
    }

    private static float[] Normalise(float[] logits)
    {
        var max = logits.Max();
        var sum = logits.Sum(l => Math.Exp(l - max));
        return logits.Select(l => (float)(l - max - Math.Log(sum))).ToArray();
    }
}

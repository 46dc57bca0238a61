using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Tests.Divergence;

public sealed class DivergenceKernelsTests
{
    private static readonly float[] Half = Log([0.5, 0.25, 0.25]);
    private static readonly float[] Quarter = Log([0.25, 0.25, 0.5]);

    [Fact]
    public void Moments_of_a_small_pair_equal_hand_computed_values()
    {
        var m = DivergenceKernels.Moments(Half, Quarter);
        var ln2 = Math.Log(2);
        Assert.Equal(1.5 * ln2, m.BaseEntropy, 6);
        Assert.Equal(1.5 * ln2, m.GuideEntropy, 6);
        // -(0.5 ln 1/4 + 0.25 ln 1/4 + 0.25 ln 1/2) = 1.75 ln 2
        Assert.Equal(1.75 * ln2, m.CrossEntropy, 6);
        Assert.Equal(0.25 * ln2, m.KlBaseGuide, 6);
        Assert.Equal(0.25 * ln2, m.KlGuideBase, 6);
        Assert.Equal(0.25, m.TotalVariation, 6);
    }

    [Fact]
    public void Jensen_shannon_of_a_small_pair_equals_the_hand_computed_value()
    {
        // m = (3/8, 1/4, 3/8); KL(b||m) = 0.5 ln(4/3) + 0.25 ln(2/3) = KL(r||m) by symmetry.
        var expected = 0.5 * Math.Log(4.0 / 3) + 0.25 * Math.Log(2.0 / 3);
        Assert.Equal(expected, DivergenceKernels.JensenShannon(Half, Quarter), 6);
    }

    [Fact]
    public void Cross_entropy_equals_kl_plus_base_entropy_on_a_vocabulary_sized_pair()
    {
        var b = RandomLogProbs(151_936, 1, 3f);
        var r = RandomLogProbs(151_936, 2, 3f);
        var m = DivergenceKernels.Moments(b, r);
        Assert.Equal(m.CrossEntropy, m.KlBaseGuide + m.BaseEntropy, 4);
        Assert.Equal(m.ReverseCrossEntropy, m.KlGuideBase + m.GuideEntropy, 4);
        Assert.True(m.KlBaseGuide > 0.1);
    }

    [Fact]
    public void Vectorized_kernels_match_a_double_precision_reference_including_the_scalar_tail()
    {
        var b = RandomLogProbs(151_939, 3, 2f);
        var r = RandomLogProbs(151_939, 4, 2f);
        var m = DivergenceKernels.Moments(b, r);
        double hb = 0, ce = 0, tv = 0, js = 0;
        for (var i = 0; i < b.Length; i++)
        {
            double pb = Math.Exp(b[i]), pr = Math.Exp(r[i]), pm = 0.5 * (pb + pr);
            hb -= pb * b[i];
            ce -= pb * r[i];
            tv += 0.5 * Math.Abs(pb - pr);
            js += 0.5 * (pb * Math.Log(pb / pm) + pr * Math.Log(pr / pm));
        }
        Assert.Equal(hb, m.BaseEntropy, 4);
        Assert.Equal(hb, DivergenceKernels.Entropy(b), 4);
        Assert.Equal(ce, m.CrossEntropy, 4);
        Assert.Equal(tv, m.TotalVariation, 5);
        Assert.Equal(js, DivergenceKernels.JensenShannon(b, r), 5);
    }

    [Fact]
    public void Kl_is_zero_for_equal_distributions_and_positive_otherwise()
    {
        var b = RandomLogProbs(10_001, 5, 2f);
        var same = DivergenceKernels.Moments(b, b);
        Assert.Equal(0, same.KlBaseGuide);
        Assert.Equal(0, same.KlGuideBase);
        Assert.Equal(0, DivergenceKernels.JensenShannon(b, b), 9);
        var other = DivergenceKernels.Moments(b, RandomLogProbs(10_001, 6, 2f));
        Assert.True(other.KlBaseGuide > 0);
        Assert.True(other.KlGuideBase > 0);
    }

    [Fact]
    public void Jensen_shannon_reaches_ln_2_for_disjoint_supports_and_never_exceeds_it()
    {
        var b = Enumerable.Repeat(float.NegativeInfinity, 64).ToArray();
        var r = Enumerable.Repeat(float.NegativeInfinity, 64).ToArray();
        for (var i = 0; i < 32; i++)
        {
            b[i] = MathF.Log(1f / 32);
            r[32 + i] = MathF.Log(1f / 32);
        }
        Assert.Equal(Math.Log(2), DivergenceKernels.JensenShannon(b, r), 5);
        for (var seed = 0; seed < 20; seed++)
        {
            Assert.InRange(DivergenceKernels.JensenShannon(RandomLogProbs(999, seed, 8f), RandomLogProbs(999, seed + 100, 8f)), 0, Math.Log(2) + 1e-6);
        }
    }

    [Fact]
    public void Negative_infinity_entries_count_as_zero_probability_without_nans()
    {
        var inf = float.NegativeInfinity;
        float[] b = [MathF.Log(0.5f), MathF.Log(0.5f), inf, inf, inf, inf, inf, inf, inf, inf, inf];
        float[] r = [MathF.Log(0.25f), MathF.Log(0.25f), MathF.Log(0.5f), inf, inf, inf, inf, inf, inf, inf, inf];
        var m = DivergenceKernels.Moments(b, r);
        Assert.Equal(Math.Log(2), m.BaseEntropy, 6);
        Assert.Equal(Math.Log(4), m.CrossEntropy, 6);
        Assert.Equal(Math.Log(2), m.KlBaseGuide, 6);
        Assert.Equal(double.PositiveInfinity, m.KlGuideBase);
        Assert.Equal(0.5, m.TotalVariation, 6);
        Assert.False(double.IsNaN(DivergenceKernels.JensenShannon(b, r)));
        // The guide gives 0 to a token the base can emit: cross-entropy is infinite, not NaN.
        Assert.Equal(double.PositiveInfinity, DivergenceKernels.Moments(r, b).CrossEntropy);
    }

    [Fact]
    public void Top1_probability_and_argmax_read_the_most_likely_token()
    {
        Assert.Equal(0, DivergenceKernels.ArgMax(Half));
        Assert.Equal(2, DivergenceKernels.ArgMax(Quarter));
        Assert.Equal(0.5, DivergenceKernels.Top1Probability(Half), 6);
    }

    internal static float[] Log(double[] p) => p.Select(x => (float)Math.Log(x)).ToArray();

    /// <summary>A normalised log-softmax of random logits with the given spread.</summary>
    internal static float[] RandomLogProbs(int n, int seed, float spread)
    {
        var random = new Random(seed);
        var logits = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * spread * 2 - spread)).ToArray();
        var max = logits.Max();
        var lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        return logits.Select(l => (float)(l - lse)).ToArray();
    }
}

using EvalCluster.Inference.Divergence;

namespace EvalCluster.Inference.Tests.Divergence;

public sealed class DivergenceScoreTests
{
    [Theory]
    [InlineData("ce", DivergenceKind.CrossEntropy)]
    [InlineData("KL", DivergenceKind.KlBaseGuide)]
    [InlineData("kl-rev", DivergenceKind.KlGuideBase)]
    [InlineData("js", DivergenceKind.JensenShannon)]
    [InlineData("top1-prob", DivergenceKind.BaseTop1Complement)]
    public void Short_names_parse_to_their_kind_and_back(string name, DivergenceKind kind)
    {
        Assert.Equal(kind, DivergenceScore.Parse(name));
        Assert.Equal(name.ToLowerInvariant(), DivergenceScore.Name(kind));
    }

    [Fact]
    public void An_unknown_score_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<InferenceException>(() => DivergenceScore.Parse("xent"));
        Assert.Contains("ce, kl", ex.Message);
    }

    [Fact]
    public void Each_kind_computes_its_own_quantity()
    {
        var b = DivergenceKernelsTests.Log([0.5, 0.25, 0.25]);
        var r = DivergenceKernelsTests.Log([0.25, 0.25, 0.5]);
        var m = DivergenceKernels.Moments(b, r);
        Assert.Equal(1.75 * Math.Log(2), DivergenceScore.Compute(DivergenceKind.CrossEntropy, b, r, m), 6);
        Assert.Equal(0.25, DivergenceScore.Compute(DivergenceKind.TotalVariation, b, r, m), 6);
        Assert.Equal(1, DivergenceScore.Compute(DivergenceKind.Top1Mismatch, b, r, m));
        Assert.Equal(0.5, DivergenceScore.Compute(DivergenceKind.BaseTop1Complement, b, r, m), 6);
        Assert.Equal(1.5 * Math.Log(2), DivergenceScore.FromBase(DivergenceKind.BaseEntropy, b, m.BaseEntropy), 6);
        Assert.True(double.IsNaN(DivergenceScore.FromBase(DivergenceKind.CrossEntropy, b, m.BaseEntropy)));
        Assert.False(DivergenceScore.NeedsGuide(DivergenceKind.BaseEntropy));
        Assert.True(DivergenceScore.NeedsGuide(DivergenceKind.JensenShannon));
    }
}

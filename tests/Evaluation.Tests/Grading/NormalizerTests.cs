using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Evaluation.Tests.Grading;

public sealed class NormalizerTests
{
    [Theory]
    [InlineData("\\left( 3, \\frac{\\pi}{2} \\right)", "( 3, \\frac{\\pi}{2} )")]
    [InlineData("$\\dfrac{1}{2}$", "\\frac{1}{2}")]
    [InlineData("10\\text{ cm}", "10")]
    [InlineData("90^\\circ", "90")]
    [InlineData("1,000,000", "1000000")]
    [InlineData("\\text{Evelyn}", "Evelyn")]
    [InlineData("5.", "5")]
    [InlineData("\\frac12", "\\frac{1}{2}")]
    [InlineData("x=1 \\text{ or } x=2", "x=1,x=2")]
    public void Normalisation_applies_the_hendrycks_rules(string input, string expected)
    {
        Assert.Equal(expected, AnswerNormalizer.Normalize(input));
    }

    [Fact]
    public void Normalising_twice_changes_nothing_for_every_math500_answer()
    {
        foreach (var answer in DatasetAnswerTests.AnswersOf("math500.jsonl").Values)
        {
            var once = AnswerNormalizer.Normalize(answer);
            Assert.Equal(once, AnswerNormalizer.Normalize(once));
        }
    }

    [Fact]
    public void A_percent_sign_is_removed_and_reported()
    {
        Assert.Equal("50", AnswerNormalizer.Normalize("50\\%", out var percent));
        Assert.True(percent);
    }
}

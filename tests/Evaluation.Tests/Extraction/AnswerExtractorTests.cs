using EvalCluster.Evaluation.Extraction;

namespace EvalCluster.Evaluation.Tests.Extraction;

public sealed class AnswerExtractorTests
{
    [Theory]
    [InlineData("so the answer is \\boxed{42}.", "42")]
    [InlineData("first \\boxed{1} then \\boxed{2}", "2")]
    [InlineData("nested \\boxed{\\frac{1}{2}}", "\\frac{1}{2}")]
    [InlineData("escaped \\boxed{\\{1,2\\}}", "\\{1,2\\}")]
    [InlineData("a \\fbox{7} box", "7")]
    [InlineData("spaced $\\boxed 5$", "5")]
    [InlineData("<think>maybe \\boxed{3}</think> so \\boxed{4}", "4")]
    [InlineData("Therefore, the answer is 12.", "12")]
    [InlineData("The final answer is $\\frac{3}{4}$. I hope", "\\frac{3}{4}")]
    [InlineData("Final Answer: 3.5", "3.5")]
    public void The_default_pipeline_finds_the_final_answer(string response, string expected)
    {
        Assert.Equal(expected, AnswerExtractor.Extract(response));
    }

    [Fact]
    public void An_unbalanced_box_yields_no_boxed_answer()
    {
        Assert.Null(AnswerExtractor.Extract("cut off \\boxed{\\frac{1}{2", ["boxed"]));
    }

    [Fact]
    public void A_think_block_alone_is_not_an_answer_after_it_closes()
    {
        Assert.Null(AnswerExtractor.Extract("<think>\\boxed{3}</think> no answer here", ["boxed"]));
    }

    [Fact]
    public void The_gsm8k_extractor_reads_the_hash_line_without_commas()
    {
        Assert.Equal("70000", AnswerExtractor.Extract("He earns 70,000.\n#### 70,000", ["gsm8k"]));
    }

    [Fact]
    public void The_flexible_extractor_takes_the_last_number_and_is_only_used_when_named()
    {
        const string response = "We get 3 apples and then 1,250 pears";
        Assert.Null(AnswerExtractor.Extract(response));
        Assert.Equal(new ExtractedAnswer("1250", "flexible"), AnswerExtractor.ExtractWithSource(response, ["boxed", "flexible"]));
    }

    [Fact]
    public void An_unknown_extractor_name_is_rejected_with_the_known_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => AnswerExtractor.Extract("x", ["boxxed"]));
        Assert.Contains("boxed, answer_is", ex.Message);
    }

    [Fact]
    public void Every_minerva_solution_yields_its_answer_through_the_boxed_extractor()
    {
        var answers = Grading.DatasetAnswerTests.AnswersOf("minerva_math.jsonl");
        var solutions = Grading.DatasetAnswerTests.SolutionsOf("minerva_math.jsonl");
        var wrong = answers.Where(a => AnswerExtractor.Extract(solutions[a.Key], ["boxed"]) != a.Value.Trim()).Select(a => a.Key).ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(5).Select(k => $"{k}: {answers[k]} <- {AnswerExtractor.Extract(solutions[k], ["boxed"])}")));
    }
}

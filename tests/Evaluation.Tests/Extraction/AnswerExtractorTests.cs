using EvalCluster.Evaluation.Extraction;
using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Tests.Extraction;

/// <summary>Each extractor family of the default pipeline (boxed, answer_is, bare, math), with negatives.</summary>
public sealed class AnswerExtractorTests
{
    [Theory]
    [InlineData("so the answer is \\boxed{42}.", "42")]
    [InlineData("first \\boxed{1}, then after a long second look at every single case of the problem we finally settle on \\boxed{2}", "2")]
    [InlineData("first \\boxed{1}, or else maybe \\boxed{2}", "1, 2")]
    [InlineData("nested \\boxed{\\frac{1}{2}}", "\\frac{1}{2}")]
    [InlineData("escaped \\boxed{\\{1,2\\}}", "\\{1,2\\}")]
    [InlineData("a \\fbox{7} box", "7")]
    [InlineData("spaced $\\boxed 5$", "5")]
    [InlineData("<think>maybe \\boxed{3}</think> so \\boxed{4}", "4")]
    [InlineData("$x = \\boxed{2}$ or $x = \\boxed{3}$", "2, 3")]
    [InlineData("\\boxed{2} and \\boxed{2}", "2")]
    [InlineData("The answer is \\boxed{8} apples.", "8")]
    public void The_boxed_extractor_takes_the_last_box_and_joins_the_boxes_listed_right_before_it(string response, string expected)
    {
        Assert.Equal(new ExtractedAnswer(expected, "boxed"), AnswerExtractor.ExtractWithSource(response));
    }

    [Theory]
    [InlineData("cut off \\boxed{\\frac{1}{2")]
    [InlineData("no box here, only \\boxedtext{3}")]
    public void A_box_that_does_not_close_or_is_another_command_yields_nothing(string response)
    {
        Assert.Null(AnswerExtractor.Extract(response, ["boxed"]));
    }

    [Theory]
    [InlineData("Therefore, the answer is 12.", "12")]
    [InlineData("The final answer is $\\frac{3}{4}$. I hope it is correct.", "\\frac{3}{4}")]
    [InlineData("Final Answer: 3.5", "3.5")]
    [InlineData("**Answer:** 18", "18")]
    [InlineData("Final Answer: The final answer is $28 \\%$. I hope it is correct.", "28 \\%")]
    [InlineData("The answer is therefore 12 apples, counted twice.", "12")]
    [InlineData("The answer is $\\frac{5}{2}$, and indeed $\\frac{5}{2} \\cdot 2 = 5$.", "\\frac{5}{2}")]
    [InlineData("Answer: $x = 2$ or $x = 5$", "x = 2, x = 5")]
    [InlineData("So the answer: 3 + 4 = 7", "3 + 4 = 7")]
    [InlineData("So the answer: we add them and get x = 7 in the end", "7")]
    [InlineData("The answer is Monday.", "Monday")]
    [InlineData("The answer is x^2+1.", "x^2+1")]
    [InlineData("La réponse finale est 6.", "6")]
    [InlineData("La respuesta es $7$.", "7")]
    [InlineData("A resposta final é 8.", "8")]
    [InlineData("La risposta è 9", "9")]
    [InlineData("Die endgültige Antwort ist 10.", "10")]
    [InlineData("Ответ: 11", "11")]
    [InlineData("所以答案是 $12$。", "12")]
    [InlineData("最终答案：13", "13")]
    [InlineData("答えは 14 です", "14")]
    public void The_answer_phrase_extractor_reads_what_follows_the_last_answer_phrase_in_several_languages(string response, string expected)
    {
        Assert.Equal(expected, AnswerExtractor.Extract(response, ["answer_is"]));
    }

    [Theory]
    [InlineData("To answer this we need more data.")]
    [InlineData("The answers vary; none is final.")]
    public void Text_that_only_mentions_answers_has_no_answer_phrase_answer(string response)
    {
        Assert.Null(AnswerExtractor.Extract(response, ["answer_is"]));
    }

    [Theory]
    [InlineData("The probability is $\\frac{1}{2}$.", "\\frac{1}{2}")]
    [InlineData("Hence $$\\sqrt{2}$$", "\\sqrt{2}")]
    [InlineData("We compute \\( \\frac{2}{4} \\) which simplifies.", "\\frac{2}{4}")]
    [InlineData("Thus \\[ p = \\frac{1}{2} \\]", "p = \\frac{1}{2}")]
    [InlineData("\\begin{align*} p &= \\frac{4}{6} \\\\ &= \\frac{2}{3} \\end{align*}", "p = \\frac{4}{6} = \\frac{2}{3}")]
    [InlineData("The roots are $x = 2$, $x = 3$ and $x = 5$.", "x = 2, x = 3, x = 5")]
    [InlineData("Share: $28$ percent", "28\\%")]
    [InlineData("We get $x=3$, so 12 marbles remain", "12")]
    [InlineData("So 12 marbles, that is $\\frac{1}{2}$ of them", "\\frac{1}{2}")]
    [InlineData("Plainly \\frac{3}{4} of it", "\\frac{3}{4}")]
    [InlineData("so $\\sqrt{DF^2 - EF^2},$ or $\\sqrt{51}.$", "\\sqrt{DF^2 - EF^2}, \\sqrt{51}")]
    [InlineData("so $x = 5\\,$", "x = 5\\,")]
    public void The_math_extractor_takes_the_latex_or_plain_math_that_ends_last(string response, string expected)
    {
        Assert.Equal(new ExtractedAnswer(expected, "math"), AnswerExtractor.ExtractWithSource(response));
    }

    [Theory]
    [InlineData("The population is 12 500.", "12 500")]
    [InlineData("Il reste 3,75 euros.", "3,75")]
    [InlineData("There are 1,234,567 grains.", "1,234,567")]
    [InlineData("The total cost is $25.", "25")]
    [InlineData("The total cost is €25.", "25")]
    [InlineData("The share is 28 percent.", "28%")]
    [InlineData("Since 6/3 = 2, we are done", "2")]
    [InlineData("It is (2+3)*4 overall", "(2+3)*4")]
    [InlineData("First 3 apples, then 4 more, so 7", "7")]
    [InlineData("Costs $5 and then", "5")]
    public void The_plain_expression_extractor_takes_the_last_number_or_expression_as_written(string response, string expected)
    {
        Assert.Equal(expected, AnswerExtractor.Extract(response, ["expr"]));
    }

    [Theory]
    [InlineData("Model XDY2K has no answer")]
    [InlineData("a1b2c3")]
    [InlineData("No digits at all.")]
    public void Digits_glued_to_words_are_not_a_plain_answer(string response)
    {
        Assert.Null(AnswerExtractor.Extract(response, ["expr"]));
    }

    [Theory]
    [InlineData("x^2+1", "x^2+1")]
    [InlineData("12 apples", "12 apples")]
    [InlineData("\\frac{1}{2}", "\\frac{1}{2}")]
    [InlineData("x = 1 or x = 2", "x = 1 or x = 2")]
    [InlineData("\\text{Evelyn}", "\\text{Evelyn}")]
    [InlineData("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}")]
    [InlineData("\\$32,\\!348", "\\$32,\\!348")]
    public void A_bare_answer_is_taken_whole(string response, string expected)
    {
        Assert.Equal(new ExtractedAnswer(expected, "bare"), AnswerExtractor.ExtractWithSource(response));
    }

    [Theory]
    [InlineData("We add both sides to get 2x + 3")]
    [InlineData("$x^2$")]
    [InlineData("first line\n2")]
    public void Prose_math_delimiters_and_several_lines_are_not_bare(string response)
    {
        Assert.Null(AnswerExtractor.Extract(response, ["bare"]));
    }

    [Fact]
    public void The_gsm8k_extractor_reads_the_hash_line_without_commas()
    {
        Assert.Equal("70000", AnswerExtractor.Extract("He earns 70,000.\n#### 70,000", ["gsm8k"]));
    }

    [Fact]
    public void The_flexible_extractor_takes_the_last_number_even_glued_to_a_word()
    {
        const string response = "We get 3 apples and then x1,250";
        Assert.Equal("3", AnswerExtractor.Extract(response));
        Assert.Equal(new ExtractedAnswer("1250", "flexible"), AnswerExtractor.ExtractWithSource(response, ["boxed", "flexible"]));
    }

    [Fact]
    public void An_unknown_extractor_name_is_rejected_with_the_known_names()
    {
        var ex = Assert.Throws<ArgumentException>(() => AnswerExtractor.Extract("x", ["boxxed"]));
        Assert.Contains("boxed, answer_is, bare, math", ex.Message);
    }

    [Theory]
    [InlineData("aime24")]
    [InlineData("aime25")]
    [InlineData("amc23")]
    [InlineData("math500")]
    [InlineData("minerva_math")]
    [InlineData("olympiadbench")]
    [InlineData("gsm8k")]
    public void Every_benchmark_task_extracts_like_grade_does(string task)
    {
        // Runs take the task's pipeline; grade takes the default. gsm8k only adds its "####" line before "bare".
        var pipeline = new TaskRegistry(RepoPaths.File("tasks")).Get(task).Extraction.Where(n => n != "gsm8k");
        Assert.Equal(AnswerExtractor.DefaultPipeline, pipeline);
    }

    [Fact]
    public void Every_minerva_solution_yields_its_answer_through_the_boxed_extractor()
    {
        var answers = Grading.DatasetAnswerTests.AnswersOf("minerva_math.jsonl");
        var solutions = Grading.DatasetAnswerTests.SolutionsOf("minerva_math.jsonl");
        var wrong = answers.Where(a => AnswerExtractor.Extract(solutions[a.Key], ["boxed"]) != a.Value.Trim()).Select(a => a.Key).ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Take(5).Select(k => $"{k}: {answers[k]} <- {AnswerExtractor.Extract(solutions[k], ["boxed"])}")));
    }

    [Fact]
    public void Hostile_responses_are_extracted_in_bounded_work()
    {
        // 2 MB of arithmetic, 100k unclosed braces in a box, 200k lone dollar signs: each must simply finish.
        var arithmetic = string.Concat(Enumerable.Repeat("1 + ", 500_000)) + "1";
        Assert.Equal("1", AnswerExtractor.Extract(arithmetic)![^1..]);
        Assert.Null(AnswerExtractor.Extract("\\boxed" + new string('{', 100_000), ["boxed"]));
        var dollars = string.Concat(Enumerable.Repeat("$5\n", 200_000));
        Assert.Equal("5", AnswerExtractor.Extract(dollars));
    }
}

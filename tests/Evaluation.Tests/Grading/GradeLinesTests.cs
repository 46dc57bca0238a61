using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Evaluation.Tests.Grading;

public sealed class GradeLinesTests
{
    [Fact]
    public void Each_input_line_gives_one_output_line_with_the_verdict_parsed_forms_and_extractors()
    {
        var input = new StringReader("{\"gold\": \"\\\\frac{1}{2}\", \"prediction\": \"So the probability is $0.5$.\"}\n\n{\"gold\": 42, \"prediction\": null}\n");
        var output = new StringWriter();
        var n = GradeLines.Run(input, "in.jsonl", output, MathGrader.Default);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, n);
        Assert.Equal("{\"equal\":true,\"gold_parsed\":\"(1 / 2)\",\"prediction_parsed\":\"1/2\",\"gold_extractor\":\"bare\",\"prediction_extractor\":\"math\"}", lines[0]);
        Assert.Equal("{\"equal\":false,\"gold_parsed\":\"42\",\"prediction_parsed\":\"\",\"gold_extractor\":\"bare\",\"prediction_extractor\":\"none\"}", lines[1]);
    }

    [Fact]
    public void Without_extraction_texts_are_compared_as_answers_and_no_extractor_is_reported()
    {
        const string line = "{\"gold\": \"0.5\", \"prediction\": \"So the probability is $0.5$.\"}";
        var extracted = new StringWriter();
        GradeLines.Run(new StringReader(line), "in.jsonl", extracted, MathGrader.Default, extract: true);
        var plain = new StringWriter();
        GradeLines.Run(new StringReader(line), "in.jsonl", plain, MathGrader.Default, extract: false);
        Assert.StartsWith("{\"equal\":true", extracted.ToString());
        Assert.StartsWith("{\"equal\":false", plain.ToString());
        Assert.DoesNotContain("extractor", plain.ToString());
    }

    [Fact]
    public void A_gold_text_in_which_nothing_is_found_is_compared_whole()
    {
        var r = MathGrader.Default.GradeTexts("New York City", "The city is New York City");
        Assert.Equal(MathGrader.WholeText, r.GoldExtractor);
        Assert.False(r.Equal);
    }

    [Theory]
    [InlineData("{\"gold\": 1", "in.jsonl: line 1: malformed JSON")]
    [InlineData("[1]", "in.jsonl: line 1: expected a JSON object")]
    [InlineData("{\"prediction\": \"1\"}", "in.jsonl: line 1: field gold is missing")]
    [InlineData("{\"gold\": \"1\"}", "in.jsonl: line 1: field prediction is missing")]
    public void A_bad_line_names_the_input_line_and_field(string line, string expected)
    {
        var ex = Assert.Throws<EvaluationException>(() => GradeLines.Run(new StringReader(line), "in.jsonl", new StringWriter(), MathGrader.Default));
        Assert.StartsWith(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}

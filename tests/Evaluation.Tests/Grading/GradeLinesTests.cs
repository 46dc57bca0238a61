using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Evaluation.Tests.Grading;

public sealed class GradeLinesTests
{
    [Fact]
    public void Each_input_line_gives_one_output_line_with_the_verdict_and_parsed_forms()
    {
        var input = new StringReader("{\"gold\": \"\\\\frac{1}{2}\", \"prediction\": \"0.5\"}\n\n{\"gold\": 42, \"prediction\": null}\n");
        var output = new StringWriter();
        var n = GradeLines.Run(input, "in.jsonl", output, MathGrader.Default);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, n);
        Assert.Equal("{\"equal\":true,\"gold_parsed\":\"(1 / 2)\",\"prediction_parsed\":\"1/2\"}", lines[0]);
        Assert.StartsWith("{\"equal\":false", lines[1]);
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

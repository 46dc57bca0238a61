using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Evaluation.Tests.Grading;

public sealed class TimeLimitTests
{
    [Fact]
    public void A_pathological_factorial_hits_the_time_limit_and_is_graded_unequal()
    {
        var grader = new MathGrader(TimeSpan.FromMilliseconds(100));
        var result = grader.Grade("(300000)! + 1", "(300000)!");
        Assert.False(result.Equal);
        Assert.True(result.TimedOut);
    }

    [Fact]
    public void Deeply_nested_input_is_graded_unequal_without_overflowing_the_stack()
    {
        var deep = new string('(', 50_000) + "1" + new string(')', 50_000);
        Assert.False(MathGrader.Default.Grade("2", deep).Equal);
        var minus = new string('-', 1500) + "1";
        Assert.False(MathGrader.Default.Grade("2", minus).Equal);
    }

    [Fact]
    public void A_two_megabyte_expression_and_100k_nested_braces_are_graded_through_extraction_in_bounded_work()
    {
        var huge = "$" + string.Concat(Enumerable.Repeat("1+", 1_000_000)) + "1$";
        var r = MathGrader.Default.GradeTexts("1000001", huge);
        Assert.False(r.Equal);
        Assert.True(r.PredictionParsed.Length <= MathGrader.MaxParsedLength + 1);
        var braces = "\\boxed{" + new string('{', 100_000) + "1" + new string('}', 100_000) + "}";
        // Beyond MaxParsedLength answers are compared as text only, so even the 1 inside is not read.
        var deep = MathGrader.Default.GradeTexts("1", braces);
        Assert.Equal(("boxed", false), (deep.PredictionExtractor, deep.Equal));
        var open = "The answer is \\frac{" + new string('{', 100_000);
        Assert.False(MathGrader.Default.GradeTexts("1", open).Equal);
    }

    [Fact]
    public void An_absurd_power_is_not_computed_exactly_and_does_not_compare_equal_to_a_neighbour()
    {
        Assert.False(MathGrader.Default.Grade("9^{9^{9}}", "9^{9^{9}}+1").Equal);
    }

    [Fact]
    public void A_caller_cancellation_is_propagated_not_reported_as_a_verdict()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => MathGrader.Default.Grade("1", "2", cts.Token));
    }

    [Fact]
    public void The_default_time_limit_is_one_second()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), MathGrader.Default.TimeLimit);
    }
}

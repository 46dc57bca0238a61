using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Evaluation.Tests.Grading;

/// <summary>The golden table grader_pairs.tsv: gold, prediction, expected verdict, rule.</summary>
public sealed class GraderPairTableTests
{
    public static TheoryData<int, string, string, bool, string> Pairs()
    {
        var data = new TheoryData<int, string, string, bool, string>();
        foreach (var (line, f) in TsvTable.Rows("grader_pairs.tsv"))
        {
            data.Add(line, f[0], f[1], f[2] == "1", f[3]);
        }
        return data;
    }

    [Fact]
    public void The_table_has_at_least_150_pairs_with_both_verdicts()
    {
        var rows = Pairs().Select(r => (bool)r[3]).ToList();
        Assert.True(rows.Count >= 150, $"only {rows.Count} pairs");
        Assert.True(rows.Count(x => !x) >= 50, "too few non-equivalent pairs");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Each_pair_in_the_table_grades_as_expected(int line, string gold, string prediction, bool expected, string rule)
    {
        var result = MathGrader.Default.Grade(gold, prediction);
        Assert.True(expected == result.Equal,
            $"line {line} ({rule}): {gold} vs {prediction}: expected {expected}, parsed {result.GoldParsed} | {result.PredictionParsed}");
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Each_pair_grades_the_same_with_gold_and_prediction_swapped(int line, string gold, string prediction, bool expected, string rule)
    {
        // Symmetry holds for every rule except the one-sided percent and lone-variable conveniences.
        var result = MathGrader.Default.Grade(prediction, gold);
        Assert.True(expected == result.Equal, $"line {line} ({rule}) swapped: {prediction} vs {gold}: expected {expected}");
    }
}

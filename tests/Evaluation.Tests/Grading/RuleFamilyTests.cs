using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Evaluation.Tests.Grading;

/// <summary>The table rule_families.tsv: each comparison rule of Math-Verify's, with negatives, both ways round.</summary>
public sealed class RuleFamilyTests
{
    public static TheoryData<string, int, string, string, bool, bool> Pairs()
    {
        var data = new TheoryData<string, int, string, string, bool, bool>();
        foreach (var (line, f) in TsvTable.Rows("rule_families.tsv"))
        {
            data.Add(f[4], line, f[0], f[1], f[2] == "1", f[3] == "1");
        }
        return data;
    }

    [Fact]
    public void Every_rule_family_has_equal_and_unequal_pairs()
    {
        var families = Pairs().GroupBy(r => (string)r[0]).ToList();
        Assert.Equal(11, families.Count);
        Assert.All(families, f => Assert.True(f.Any(r => (bool)r[4]) && f.Any(r => !(bool)r[4]), $"{f.Key} lacks a positive or a negative"));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Each_pair_of_a_rule_family_grades_as_expected_both_ways_round(string family, int line, string gold, string prediction, bool equal, bool swapped)
    {
        var result = MathGrader.Default.Grade(gold, prediction);
        Assert.True(equal == result.Equal, $"line {line} ({family}): {gold} vs {prediction}: expected {equal}, parsed {result.GoldParsed} | {result.PredictionParsed}");
        var reverse = MathGrader.Default.Grade(prediction, gold);
        Assert.True(swapped == reverse.Equal, $"line {line} ({family}) swapped: {prediction} vs {gold}: expected {swapped}, parsed {reverse.GoldParsed} | {reverse.PredictionParsed}");
    }
}

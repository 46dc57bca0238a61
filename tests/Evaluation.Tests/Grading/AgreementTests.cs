using EvalCluster.Evaluation.Grading;

namespace EvalCluster.Evaluation.Tests.Grading;

/// <summary>
/// Agreement with Math-Verify's documented verdicts on free-text predictions, through the same path as the
/// grade command (extraction on both sides, then comparison). heldout.tsv was written before the grader
/// was tuned and is the one reported; tune.tsv is the set the rules were developed against.
/// </summary>
public sealed class AgreementTests
{
    private static readonly string s_folder = Path.Combine(RepoPaths.Root, "tests", "Evaluation.Tests", "Grading", "Agreement");

    public sealed record Pair(int Line, string Gold, string Prediction, bool Expected, string Family);

    public static IReadOnlyList<Pair> Load(string file)
    {
        var pairs = new List<Pair>();
        var line = 0;
        foreach (var text in File.ReadLines(Path.Combine(s_folder, file)))
        {
            line++;
            if (text.StartsWith('#') || text.Trim().Length == 0)
            {
                continue;
            }
            var f = text.Split('\t');
            Assert.True(f.Length == 4 && f[2] is "0" or "1", $"{file}: line {line}: expected gold, prediction, 0/1, family");
            pairs.Add(new Pair(line, f[0], f[1], f[2] == "1", f[3]));
        }
        return pairs;
    }

    /// <summary>Agreement rate, false-positive rate (equal where Math-Verify says unequal) and the disagreements.</summary>
    public static (double Agreement, double FalsePositives, List<string> Misses) Measure(IReadOnlyList<Pair> pairs)
    {
        var misses = new List<string>();
        var falsePositives = 0;
        foreach (var p in pairs)
        {
            var r = MathGrader.Default.GradeTexts(p.Gold, p.Prediction);
            if (r.Equal != p.Expected)
            {
                falsePositives += r.Equal ? 1 : 0;
                misses.Add($"line {p.Line} ({p.Family}) expected {p.Expected}: {p.Gold} | {p.Prediction} -> [{r.GoldExtractor}] {r.GoldParsed} | [{r.PredictionExtractor}] {r.PredictionParsed}");
            }
        }
        var negatives = pairs.Count(p => !p.Expected);
        return (1 - (double)misses.Count / pairs.Count, negatives == 0 ? 0 : (double)falsePositives / negatives, misses);
    }

    [Theory]
    [InlineData("heldout.tsv")]
    [InlineData("tune.tsv")]
    public void Grading_free_text_agrees_with_math_verify_on_nine_in_ten_pairs_with_no_false_positives(string file)
    {
        var pairs = Load(file);
        Assert.True(pairs.Count >= 80 && pairs.Count(p => !p.Expected) >= 25, $"{file}: too few pairs");
        var (agreement, falsePositives, misses) = Measure(pairs);
        Assert.True(agreement >= 0.9 && falsePositives < 0.01,
            $"{file}: agreement {agreement:P1}, false positives {falsePositives:P1} of {pairs.Count} pairs:\n" + string.Join("\n", misses));
    }
}

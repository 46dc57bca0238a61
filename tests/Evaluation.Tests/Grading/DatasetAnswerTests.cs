using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Extraction;
using EvalCluster.Evaluation.Grading;
using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Tests.Grading;

public sealed class DatasetAnswerTests
{
    public static TheoryData<string> Files => [.. TestPaths.DatasetFiles];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_gold_answer_boxed_at_the_end_of_a_response_grades_equal_to_itself(string file)
    {
        var task = new TaskDefinition { Name = file, Dataset = new TaskDataset(file, DatasetFormat.Jsonl) };
        var failures = new List<string>();
        foreach (var p in DatasetLoader.Load(task, RepoPaths.Datasets))
        {
            var response = $"Some reasoning here, so the answer is \\boxed{{{p.Answer}}}";
            var extracted = AnswerExtractor.Extract(response);
            if (extracted is null || !MathGrader.AreEquivalent(p.Answer, extracted))
            {
                failures.Add($"{p.Id}: {p.Answer} -> {extracted}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(30)));
    }

    [Fact]
    public void The_extracted_answer_of_every_math500_solution_grades_equal_to_its_answer()
    {
        var task = new TaskDefinition { Name = "math500", Dataset = new TaskDataset("math500.jsonl", DatasetFormat.Jsonl) };
        var solutions = SolutionsOf("math500.jsonl");
        var failures = new List<string>();
        foreach (var p in DatasetLoader.Load(task, RepoPaths.Datasets))
        {
            var extracted = AnswerExtractor.Extract(solutions[p.Id]);
            if (extracted is null || !MathGrader.AreEquivalent(p.Answer, extracted))
            {
                failures.Add($"{p.Id}: {p.Answer} <- {extracted}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(40)));
    }

    [Theory]
    [InlineData("math500.jsonl")]
    [InlineData("minerva_math.jsonl")]
    public void Every_gold_answer_grades_equal_to_its_whole_solution_text_through_the_grade_path(string file)
    {
        var solutions = SolutionsOf(file);
        var failures = AnswersOf(file)
            .Select(a => (a.Key, Gold: a.Value, Result: MathGrader.Default.GradeTexts(a.Value, solutions[a.Key])))
            .Where(x => !x.Result.Equal)
            .Select(x => $"{x.Key}: {x.Gold} -> [{x.Result.GoldExtractor}] {x.Result.GoldParsed} | [{x.Result.PredictionExtractor}] {x.Result.PredictionParsed}")
            .ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(20)));
    }

    [Theory]
    [InlineData("math500.jsonl")]
    [InlineData("minerva_math.jsonl")]
    public void A_gold_answer_with_its_first_digit_changed_never_grades_equal_to_the_solution(string file)
    {
        // Near misses (one digit off) are the false positives that matter; the solution holds the true answer.
        var solutions = SolutionsOf(file);
        var falsePositives = new List<string>();
        var tried = 0;
        foreach (var (id, gold) in AnswersOf(file))
        {
            var i = gold.IndexOfAny("0123456789".ToCharArray());
            if (i < 0)
            {
                continue;
            }
            tried++;
            var near = gold[..i] + (char)('0' + ((gold[i] - '0' + 1) % 10)) + gold[(i + 1)..];
            if (MathGrader.Default.GradeTexts(near, solutions[id]).Equal)
            {
                falsePositives.Add($"{id}: {gold} -> {near}");
            }
        }
        Assert.True(tried > 100, $"{file}: only {tried} numeric answers");
        Assert.True(falsePositives.Count == 0, string.Join("\n", falsePositives));
    }

    internal static Dictionary<string, string> AnswersOf(string file)
    {
        var task = new TaskDefinition { Name = file, Dataset = new TaskDataset(file, DatasetFormat.Jsonl) };
        return DatasetLoader.Load(task, RepoPaths.Datasets).ToDictionary(p => p.Id, p => p.Answer);
    }

    internal static Dictionary<string, string> SolutionsOf(string file)
    {
        var task = new TaskDefinition
        {
            Name = file,
            Dataset = new TaskDataset(file, DatasetFormat.Jsonl),
            Fields = new TaskFieldMap { Answer = "solution" },
        };
        return DatasetLoader.Load(task, RepoPaths.Datasets).ToDictionary(p => p.Id, p => p.Answer);
    }
}

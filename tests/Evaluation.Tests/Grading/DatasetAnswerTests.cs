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
        foreach (var p in DatasetLoader.Load(task, TestPaths.Datasets))
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
        foreach (var p in DatasetLoader.Load(task, TestPaths.Datasets))
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

    internal static Dictionary<string, string> AnswersOf(string file)
    {
        var task = new TaskDefinition { Name = file, Dataset = new TaskDataset(file, DatasetFormat.Jsonl) };
        return DatasetLoader.Load(task, TestPaths.Datasets).ToDictionary(p => p.Id, p => p.Answer);
    }

    internal static Dictionary<string, string> SolutionsOf(string file)
    {
        var task = new TaskDefinition
        {
            Name = file,
            Dataset = new TaskDataset(file, DatasetFormat.Jsonl),
            Fields = new TaskFieldMap { Answer = "solution" },
        };
        return DatasetLoader.Load(task, TestPaths.Datasets).ToDictionary(p => p.Id, p => p.Answer);
    }
}

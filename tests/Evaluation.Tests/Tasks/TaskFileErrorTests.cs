using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Tests.Tasks;

public sealed class TaskFileErrorTests
{
    [Theory]
    [InlineData("version: 1\ndataset:\n  file: a.jsonl\n", "field name is missing")]
    [InlineData("name: t\n", "field dataset.file is missing")]
    [InlineData("name: t\ndataset:\n  file: a.csv\n  format: csv\n", "field dataset.format: 'csv' is not supported")]
    [InlineData("name: t\ndataset:\n  file: a.jsonl\nprompt:\n  base: \"no placeholder\"\n", "field prompt.base: the template has no {problem} placeholder")]
    [InlineData("name: t\ndataset:\n  file: a.jsonl\ngeneration:\n  max_new_tokens: 0\n", "field generation.max_new_tokens: 0 is not positive")]
    [InlineData("name: t\ndataset:\n  file: a.jsonl\nextraction: [boxd]\n", "field extraction: unknown name 'boxd'; did you mean 'boxed'")]
    [InlineData("name: t\ndataset:\n  file: a.jsonl\nmetrics: [pass_at_k, mean_at_n]\n", "field metrics: unknown name 'mean_at_n'")]
    [InlineData("name: t\ndatset:\n  file: a.jsonl\n", "line 2:")]
    [InlineData("name: [unclosed\n", "line ")]
    public void A_bad_task_file_gives_one_line_naming_the_file_and_field(string yaml, string expected)
    {
        var dir = TestPaths.NewTempDir();
        var path = Path.Combine(dir, "t.yaml");
        File.WriteAllText(path, yaml);
        var ex = Assert.Throws<EvaluationException>(() => TaskFileReader.Read(path));
        Assert.StartsWith(path + ":", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Two_task_files_with_the_same_name_are_rejected()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "a.yaml"), "name: t\ndataset:\n  file: a.jsonl\n");
        File.WriteAllText(Path.Combine(dir, "b.yaml"), "name: t\ndataset:\n  file: b.jsonl\n");
        var ex = Assert.Throws<EvaluationException>(() => new TaskRegistry(dir));
        Assert.Contains("is already declared", ex.Message);
    }

    [Fact]
    public void A_missing_tasks_directory_says_how_to_point_at_one()
    {
        var ex = Assert.Throws<EvaluationException>(() => new TaskRegistry("/nonexistent/tasks"));
        Assert.Contains("--tasks-dir", ex.Message);
    }
}

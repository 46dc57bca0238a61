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
    public void Two_task_files_with_the_same_name_break_only_that_name()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "a.yaml"), "name: t\ndataset:\n  file: a.jsonl\n");
        File.WriteAllText(Path.Combine(dir, "b.yaml"), "name: t\ndataset:\n  file: b.jsonl\n");
        File.WriteAllText(Path.Combine(dir, "c.yaml"), "name: u\ndataset:\n  file: c.jsonl\n");
        var registry = new TaskRegistry(dir);
        var ex = Assert.Throws<EvaluationException>(() => registry.Get("t"));
        Assert.Contains("is already declared", ex.Message);
        Assert.Equal("u", registry.Get("u").Name);
    }

    [Fact]
    public void A_malformed_task_file_breaks_only_its_own_task_and_is_listed_with_its_reason()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "broken.yaml"), "name: broken\ndataset: [\n");
        File.WriteAllText(Path.Combine(dir, "good.yaml"), "name: good\ndataset:\n  file: good.jsonl\n");
        var registry = new TaskRegistry(dir);

        Assert.Equal(["good"], registry.Names);
        Assert.Contains("broken.yaml: line", Assert.Throws<EvaluationException>(() => registry.Get("broken")).Message);
        Assert.Contains("could not be read: broken", Assert.Throws<EvaluationException>(() => registry.Get("other")).Message);
        var rows = TaskListing.Rows(registry, dir).ToList();
        Assert.Contains(rows, r => r.StartsWith("good", StringComparison.Ordinal) && r.Contains("(missing)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("broken", StringComparison.Ordinal) && r.Contains("invalid: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../outside.jsonl")]
    public void A_dataset_path_outside_the_data_directory_is_refused(string file)
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "t.yaml"), $"name: t\ndataset:\n  file: {file}\n");
        var ex = Assert.Throws<EvaluationException>(() => new TaskRegistry(dir).Get("t"));
        Assert.Contains("t.yaml: field dataset.file", ex.Message);
        Assert.Contains("leads outside the data directory", ex.Message);
    }

    [Fact]
    public void A_missing_tasks_directory_says_how_to_point_at_one()
    {
        var ex = Assert.Throws<EvaluationException>(() => new TaskRegistry("/nonexistent/tasks"));
        Assert.Contains("--tasks-dir", ex.Message);
    }
}

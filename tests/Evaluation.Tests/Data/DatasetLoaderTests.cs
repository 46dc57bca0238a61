using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Tasks;
using Parquet.Serialization;

namespace EvalCluster.Evaluation.Tests.Data;

public sealed class DatasetLoaderTests
{
    private static TaskDefinition TaskFor(string file, DatasetFormat format = DatasetFormat.Jsonl) => new()
    {
        Name = "t",
        Dataset = new TaskDataset(file, format),
        Fields = new TaskFieldMap { Subject = "subject", Level = "level", Choices = "choices" },
    };

    private static string Write(string content)
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "d.jsonl"), content);
        return dir;
    }

    [Theory]
    [InlineData("{\"id\": \"a\", \"problem\": \"p\", \"answer\": \"1\"}\n{\"id\": \"b\", \"problem\": \"p\"\n", "line 2: malformed JSON")]
    [InlineData("{\"id\": \"a\", \"problem\": \"p\"}\n", "line 1: field answer is missing")]
    [InlineData("{\"id\": \"a\", \"problem\": \"\", \"answer\": \"1\"}\n", "line 1: field problem is empty")]
    [InlineData("[1, 2]\n", "line 1: expected a JSON object")]
    [InlineData("\n\n", "the dataset is empty")]
    [InlineData("{\"id\": \"a\", \"problem\": \"p\", \"answer\": \"1\"}\n{\"id\": \"a\", \"problem\": \"q\", \"answer\": \"2\"}\n", "line 2: field id: duplicate id 'a'")]
    [InlineData("{\"id\": \"a\", \"problem\": \"p\", \"answer\": \"1\", \"choices\": \"A\"}\n", "line 1: field choices is not a list")]
    public void A_bad_dataset_gives_one_line_naming_file_line_and_field(string content, string expected)
    {
        var dir = Write(content);
        var ex = Assert.Throws<EvaluationException>(() => DatasetLoader.Load(TaskFor("d.jsonl"), dir));
        Assert.StartsWith(Path.Combine(dir, "d.jsonl") + ":", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_missing_dataset_file_says_how_to_point_at_the_data_directory()
    {
        var ex = Assert.Throws<EvaluationException>(() => DatasetLoader.Load(TaskFor("nope.jsonl"), TestPaths.NewTempDir()));
        Assert.Contains("--data-dir", ex.Message);
        Assert.Contains(DataDirectory.EnvironmentVariable, ex.Message);
    }

    [Fact]
    public void Numbers_and_lists_are_read_as_text_fields()
    {
        var dir = Write("{\"id\": 7, \"problem\": \"p\", \"answer\": 27.5, \"level\": 3, \"choices\": [\"A\", \"B\"]}\n");
        var p = Assert.Single(DatasetLoader.Load(TaskFor("d.jsonl"), dir));
        Assert.Equal(("7", "27.5", "3"), (p.Id, p.Answer, p.Level));
        Assert.Equal(["A", "B"], p.Choices!);
    }

    [Fact]
    public async Task Parquet_and_jsonl_datasets_load_to_the_same_problems()
    {
        var dir = Write("{\"id\": \"a\", \"problem\": \"1+1\", \"answer\": \"2\", \"subject\": \"Algebra\", \"level\": \"1\"}\n");
        ParquetRowForTest[] rows = [new() { Id = "a", Problem = "1+1", Answer = "2", Subject = "Algebra", Level = "1" }];
        await using (var stream = File.Create(Path.Combine(dir, "d.parquet")))
        {
            await ParquetSerializer.SerializeAsync(rows, stream);
        }
        var fromJsonl = DatasetLoader.Load(TaskFor("d.jsonl"), dir);
        var fromParquet = DatasetLoader.Load(TaskFor("d.parquet", DatasetFormat.Parquet), dir);
        Assert.Equal(fromJsonl, fromParquet);
    }

    [Fact]
    public void A_corrupt_parquet_file_is_reported_as_one_line()
    {
        var dir = TestPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "d.parquet"), "not parquet");
        var ex = Assert.Throws<EvaluationException>(() => DatasetLoader.Load(TaskFor("d.parquet", DatasetFormat.Parquet), dir));
        Assert.Contains("not a readable Parquet file", ex.Message);
    }

    [Fact]
    public void The_data_directory_comes_from_the_option_then_the_default()
    {
        Assert.Equal("/x", DataDirectory.Resolve("/x"));
        Assert.Equal(Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable) ?? "data", DataDirectory.Resolve(null));
    }
}

using System.Text.Json.Nodes;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The grade and ls verbs through the real command-line app.</summary>
[Collection(TokenizeConsoleCollection.Name)]
public sealed class EvaluationCommandsTests
{
    [Theory]
    [InlineData("1/2", "0.5", true)]
    [InlineData("\\frac{1}{2}", "0.6", false)]
    [InlineData("\\pm 2", "2", false)]
    public void Grade_with_gold_and_prediction_prints_one_verdict_line(string gold, string prediction, bool equal)
    {
        var (exit, stdout, stderr) = ConsoleCapture.Run("grade", "--gold", gold, "--prediction", prediction);

        Assert.Equal((0, ""), (exit, stderr));
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var verdict = JsonNode.Parse(line)!;
        Assert.Equal(equal, (bool)verdict["equal"]!);
        Assert.NotNull(verdict["gold_parsed"]);
        Assert.NotNull(verdict["prediction_parsed"]);
    }

    [Fact]
    public void Grade_reads_jsonl_from_stdin_and_writes_one_line_per_pair_skipping_blank_lines()
    {
        const string input = "{\"gold\": \"\\\\frac{1}{2}\", \"prediction\": \"0.5\"}\n\n{\"gold\": 3, \"prediction\": \"x = 4\"}\n{\"gold\": \"7\", \"prediction\": null}\n";

        var (exit, stdout, stderr) = ConsoleCapture.RunWithStdin(input, "grade");

        Assert.Equal((0, ""), (exit, stderr));
        var verdicts = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (bool)JsonNode.Parse(l)!["equal"]!);
        Assert.Equal([true, false, false], verdicts);
    }

    [Fact]
    public void Ls_tasks_lists_the_seven_benchmarks_and_finds_their_shared_datasets()
    {
        var (exit, stdout, stderr) = ConsoleCapture.Run("ls", "tasks", "--tasks-dir", RepoPaths.File("tasks"), "--data-dir", RepoPaths.Datasets);

        Assert.Equal((0, ""), (exit, stderr));
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var task in new[] { "gsm8k", "math500", "aime24", "aime25", "amc23", "minerva_math", "olympiadbench" })
        {
            var row = Assert.Single(rows, r => r.StartsWith(task + " "));
            Assert.DoesNotContain("(missing)", row);
        }
        // The toy task's data lives in the repository's data/, not beside the benchmarks.
        Assert.Contains("(missing)", Assert.Single(rows, r => r.StartsWith("toy-plan ")));
    }
}

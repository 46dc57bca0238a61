using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Bench.Evaluation;

/// <summary>MATH-500 answers and solutions from ../shared/datasets beside the repository (the folder holding Cluster.sln).</summary>
internal static class Math500Data
{
    public static IReadOnlyList<(string Answer, string Solution)> Load()
    {
        var dir = DatasetsDir();
        var answers = Load(dir, "answer");
        var solutions = Load(dir, "solution");
        return [.. answers.Select((a, i) => (a.Answer, solutions[i].Answer))];
    }

    private static IReadOnlyList<BenchmarkProblem> Load(string dir, string answerField) => DatasetLoader.Load(new TaskDefinition
    {
        Name = "math500",
        Dataset = new TaskDataset("math500.jsonl", DatasetFormat.Jsonl),
        Fields = new TaskFieldMap { Answer = answerField },
    }, dir);

    private static string DatasetsDir()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Cluster.sln")))
                {
                    return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "datasets"));
                }
            }
        }
        throw new DirectoryNotFoundException("no Cluster.sln above the current directory; run from the repository");
    }
}

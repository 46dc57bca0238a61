using System.Runtime.CompilerServices;

namespace EvalCluster.Evaluation.Tests;

/// <summary>Locates the repository (the folder holding Cluster.sln) and the shared folder beside it.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Datasets => Path.Combine(Shared, "datasets");

    public static string Tasks => Path.Combine(RepoRoot, "tasks");

    public static string[] DatasetFiles { get; } =
        ["gsm8k_test.jsonl", "math500.jsonl", "aime24.jsonl", "aime25.jsonl", "amc23.jsonl", "minerva_math.jsonl", "olympiadbench.jsonl"];

    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalcluster-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    // Above the test binaries, or, when they are built elsewhere (ArtifactsPath), above this source file.
    private static string FindRepoRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException($"Cluster.sln not found above {AppContext.BaseDirectory} or {source}");
    }
}

using System.Runtime.CompilerServices;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The repository (the folder holding Cluster.sln) and the shared folder beside it.</summary>
internal static class RepoFolders
{
    public static string Repo { get; } = FindRepo();

    public static string Tasks => Path.Combine(Repo, "tasks");

    public static string Data => Path.Combine(Repo, "data");

    public static string ToyModels => Path.Combine(Repo, "models", "toy");

    public static string Datasets => Path.GetFullPath(Path.Combine(Repo, "..", "shared", "datasets"));

    // The binaries may live outside the repository (ArtifactsPath), so the source file's own path is tried too.
    private static string FindRepo([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException("Cluster.sln not found above the test binaries.");
    }
}

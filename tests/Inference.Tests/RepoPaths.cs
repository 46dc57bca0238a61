using System.Runtime.CompilerServices;

namespace EvalCluster.Inference.Tests;

/// <summary>
/// Finds the repository root (the folder holding Cluster.sln) and the shared folder beside it. Walks up from
/// the test binaries, then from this source file (build outputs may live outside the repository).
/// </summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot([CallerFilePath] string source = "")
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
        throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}

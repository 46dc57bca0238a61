using System.Runtime.CompilerServices;

namespace EvalCluster.TestSupport;

/// <summary>
/// The repository (the folder holding Cluster.sln), the shared folder beside it, and the build output of the
/// programs tests start. Walks up from the test binaries, then from this source file (ArtifactsPath may put the
/// binaries outside the repository).
/// </summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>../shared beside the repository: datasets, tokenizers, the stories260K model.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Datasets => Path.Combine(Shared, "datasets");

    /// <summary>A path inside the repository.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A path inside the shared folder.</summary>
    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

    /// <summary>The build output of src/PROJECT in this test run's configuration (artifacts/bin/PROJECT/CONFIG/EvalCluster.PROJECT.dll).</summary>
    public static string ProgramDll(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testOutput.Parent!.Parent!.FullName, project, testOutput.Name, $"EvalCluster.{project}.dll");
        return System.IO.File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"{dll} is missing: build src/{project} in the same configuration as the tests.");
    }

    private static string FindRoot([CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new DirectoryNotFoundException($"Cluster.sln not found above {AppContext.BaseDirectory} or {source}");
    }
}

namespace EvalCluster.Deploy.Tests.Infrastructure;

/// <summary>Paths of the repository and of the build output of the programs the tests start.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The build output of src/NAME in this test run's configuration (artifacts/bin/NAME/CONFIG/EvalCluster.NAME.dll).</summary>
    public static string ProgramDll(string project)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testOutput.Parent!.Parent!.FullName, project, testOutput.Name, $"EvalCluster.{project}.dll");
        Assert.True(System.IO.File.Exists(dll), $"{dll} is missing: build src/{project} in the same configuration as the tests.");
        return dll;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}

using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Data;

/// <summary>Where datasets live: --data-dir, else $EVALCLUSTER_DATA_DIR, else ./data.</summary>
public static class DataDirectory
{
    public const string EnvironmentVariable = "EVALCLUSTER_DATA_DIR";

    public const string Default = "data";

    public static string Resolve(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return option;
        }
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(env) ? Default : env;
    }

    /// <summary>
    /// The dataset file of a task inside the data directory. A task file names a path relative to the data
    /// directory; one that leads outside it (absolute, or through "..") is refused, so a task file cannot make
    /// the tool read arbitrary files.
    /// </summary>
    public static string PathOf(TaskDefinition task, string dataDirectory)
    {
        var root = Path.GetFullPath(dataDirectory);
        var full = Path.GetFullPath(Path.Combine(root, task.Dataset.File));
        var inside = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return !Path.IsPathRooted(task.Dataset.File) && full.StartsWith(inside, StringComparison.Ordinal)
            ? full
            : throw new EvaluationException($"{task.SourcePath}: field dataset.file: '{task.Dataset.File}' leads outside the data directory; name a file inside it (e.g. {Path.GetFileName(task.Dataset.File)}).");
    }
}

namespace EvalCluster.Evaluation.Tasks;

/// <summary>
/// The task files of a directory (tasks/*.yaml), by name. An unknown name is answered with "did you mean".
/// </summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, TaskDefinition> _tasks;

    public TaskRegistry(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new EvaluationException($"{directory}: tasks directory not found; pass --tasks-dir pointing at the repository's tasks/ folder.");
        }
        Directory = directory;
        _tasks = new Dictionary<string, TaskDefinition>(StringComparer.Ordinal);
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var task = TaskFileReader.Read(file);
            if (!_tasks.TryAdd(task.Name, task))
            {
                throw new EvaluationException($"{file}: field name: '{task.Name}' is already declared by {_tasks[task.Name].SourcePath}; give each task a unique name.");
            }
        }
    }

    public string Directory { get; }

    public IReadOnlyList<TaskDefinition> All => [.. _tasks.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    public IReadOnlyList<string> Names => [.. _tasks.Keys.Order(StringComparer.Ordinal)];

    public TaskDefinition Get(string name) => _tasks.TryGetValue(name, out var task)
        ? task
        : throw new EvaluationException($"unknown task '{name}'{Suggest.DidYouMean(name, _tasks.Keys)}; list them with `evalcluster ls tasks`.");

    /// <summary>
    /// The tasks/ folder of the repository: walks up from <paramref name="start"/> (default: the current
    /// directory, then the program's folder) to a directory holding tasks/.
    /// </summary>
    public static string FindDefaultDirectory(string? start = null)
    {
        foreach (var origin in new[] { start, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tasks");
                if (System.IO.Directory.Exists(candidate) && System.IO.Directory.EnumerateFiles(candidate, "*.yaml").Any())
                {
                    return candidate;
                }
            }
        }
        return Path.Combine(Environment.CurrentDirectory, "tasks");
    }
}

namespace EvalCluster.Evaluation.Tasks;

/// <summary>
/// The task files of a directory (tasks/*.yaml), by name. A file that cannot be read breaks only the runs that
/// use it (its name is taken from the file name, as tasks/NAME.yaml declares NAME) and `ls tasks` reports it; an
/// unknown name is answered with "did you mean".
/// </summary>
public sealed class TaskRegistry
{
    private readonly Dictionary<string, TaskDefinition> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _broken = new(StringComparer.Ordinal);

    public TaskRegistry(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new EvaluationException($"{directory}: tasks directory not found; pass --tasks-dir pointing at the repository's tasks/ folder.");
        }
        Directory = directory;
        foreach (var file in System.IO.Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            TaskDefinition task;
            try
            {
                task = TaskFileReader.Read(file);
            }
            catch (EvaluationException ex)
            {
                _broken.TryAdd(Path.GetFileNameWithoutExtension(file), ex.Message);
                continue;
            }
            if (_tasks.Remove(task.Name, out var first))
            {
                _broken[task.Name] = $"{file}: field name: '{task.Name}' is already declared by {first.SourcePath}; give each task a unique name.";
            }
            else if (!_broken.ContainsKey(task.Name))
            {
                _tasks.Add(task.Name, task);
            }
        }
    }

    public string Directory { get; }

    public IReadOnlyList<TaskDefinition> All => [.. _tasks.Values.OrderBy(t => t.Name, StringComparer.Ordinal)];

    public IReadOnlyList<string> Names => [.. _tasks.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Task files that could not be used, by task name (the file name for an unreadable file), with the one-line reason.</summary>
    public IReadOnlyDictionary<string, string> Broken => _broken;

    public TaskDefinition Get(string name)
    {
        if (_tasks.TryGetValue(name, out var task))
        {
            return task;
        }
        if (_broken.TryGetValue(name, out var reason))
        {
            throw new EvaluationException(reason);
        }
        var broken = _broken.Count == 0 ? "" : $" ({_broken.Count} task file(s) could not be read: {string.Join(", ", _broken.Keys)})";
        throw new EvaluationException($"unknown task '{name}'{Suggest.DidYouMean(name, _tasks.Keys)}; list them with `evalcluster ls tasks`{broken}.");
    }

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

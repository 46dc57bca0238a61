using EvalCluster.Evaluation.Tasks;

namespace EvalCluster.Evaluation.Data;

/// <summary>
/// Loads a task's dataset (JSONL or Parquet) from the data directory through one path: rows become field
/// dictionaries, then the task's field mapping makes <see cref="BenchmarkProblem"/>s. Every failure names
/// the file, the line (row) and the field, and how to fix it.
/// </summary>
public static class DatasetLoader
{
    public static IReadOnlyList<BenchmarkProblem> Load(TaskDefinition task, string dataDirectory)
    {
        var path = DataDirectory.PathOf(task, dataDirectory);
        if (!File.Exists(path))
        {
            throw new EvaluationException($"{path}: dataset file of task '{task.Name}' not found; put {task.Dataset.File} in the data directory or pass --data-dir (or set {DataDirectory.EnvironmentVariable}).");
        }
        var rows = task.Dataset.Format == DatasetFormat.Parquet ? ParquetRows.Read(path) : JsonlRows.Read(path);
        if (rows.Count == 0)
        {
            throw new EvaluationException($"{path}: the dataset is empty; it needs one problem per line with fields {task.Fields.Id}, {task.Fields.Problem} and {task.Fields.Answer}.");
        }
        var problems = new List<BenchmarkProblem>(rows.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var problem = Map(task, path, row);
            if (!ids.Add(problem.Id))
            {
                throw new EvaluationException($"{path}: line {row.Line}: field {task.Fields.Id}: duplicate id '{problem.Id}'; ids must be unique within a dataset.");
            }
            problems.Add(problem);
        }
        return problems;
    }

    private static BenchmarkProblem Map(TaskDefinition task, string path, DatasetRow row)
    {
        var f = task.Fields;
        return new BenchmarkProblem
        {
            Task = task.Name,
            Index = row.Index,
            Id = row.Required(path, f.Id),
            Problem = row.Required(path, f.Problem),
            Answer = row.Required(path, f.Answer),
            Subject = f.Subject is null ? null : row.Optional(f.Subject),
            Level = f.Level is null ? null : row.Optional(f.Level),
            Choices = f.Choices is null ? null : row.OptionalList(path, f.Choices),
        };
    }
}

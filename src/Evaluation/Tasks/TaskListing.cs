using EvalCluster.Evaluation.Data;

namespace EvalCluster.Evaluation.Tasks;

/// <summary>The rows of `ls tasks`: name, version, dataset (with its problem count, or "missing"), max tokens, description.</summary>
public static class TaskListing
{
    public static IEnumerable<string> Rows(TaskRegistry registry, string dataDirectory)
    {
        var tasks = registry.All;
        var width = Math.Max(4, tasks.Max(t => t.Name.Length));
        yield return $"{"task".PadRight(width)}  version  {"dataset",-36}  max_new_tokens  description";
        foreach (var t in tasks)
        {
            var path = Path.Combine(dataDirectory, t.Dataset.File);
            var state = File.Exists(path) ? $"{CountProblems(t, dataDirectory)} problems" : "missing";
            var dataset = $"{t.Dataset.File} ({state})";
            yield return $"{t.Name.PadRight(width)}  {t.Version,-7}  {dataset,-36}  {t.Generation.MaxNewTokens,14}  {t.Description}";
        }
    }

    private static string CountProblems(TaskDefinition task, string dataDirectory)
    {
        try
        {
            return DatasetLoader.Load(task, dataDirectory).Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (EvaluationException)
        {
            return "invalid";
        }
    }
}

using EvalCluster.Evaluation.Data;

namespace EvalCluster.Evaluation.Tasks;

/// <summary>
/// The rows of `ls tasks`: name, version, dataset (with its problem count, or "missing"), max tokens, description;
/// then one row per task file that cannot be used, with its reason.
/// </summary>
public static class TaskListing
{
    public static IEnumerable<string> Rows(TaskRegistry registry, string dataDirectory)
    {
        var tasks = registry.All;
        var width = Math.Max(4, tasks.Select(t => t.Name.Length).Concat(registry.Broken.Keys.Select(k => k.Length)).DefaultIfEmpty(4).Max());
        yield return $"{"task".PadRight(width)}  version  {"dataset",-36}  max_new_tokens  description";
        foreach (var t in tasks)
        {
            var dataset = $"{t.Dataset.File} ({State(t, dataDirectory)})";
            yield return $"{t.Name.PadRight(width)}  {t.Version,-7}  {dataset,-36}  {t.Generation.MaxNewTokens,14}  {t.Description}";
        }
        foreach (var (name, reason) in registry.Broken.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            yield return $"{name.PadRight(width)}  invalid: {reason}";
        }
    }

    private static string State(TaskDefinition task, string dataDirectory)
    {
        try
        {
            return File.Exists(DataDirectory.PathOf(task, dataDirectory))
                ? $"{DatasetLoader.Load(task, dataDirectory).Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} problems"
                : "missing";
        }
        catch (EvaluationException)
        {
            return "invalid";
        }
    }
}

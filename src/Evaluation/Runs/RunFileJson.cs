using System.Text.Json;

namespace EvalCluster.Evaluation.Runs;

/// <summary>Reads a whole-file JSON document of a run folder, turning any failure into one clear line.</summary>
internal static class RunFileJson
{
    public static T Read<T>(string path, string fix)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationException($"{path}: not found; {fix}.");
        }
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), RunJson.Line)
                ?? throw new EvaluationException($"{path}: the file holds null; {fix}.");
        }
        catch (JsonException ex)
        {
            throw new EvaluationException($"{path}: line {(ex.LineNumber ?? 0) + 1}: invalid JSON ({FirstLine(ex.Message)}); {fix}.", ex);
        }
    }

    public static string FirstLine(string message) => message.Split('\n')[0].Trim();
}

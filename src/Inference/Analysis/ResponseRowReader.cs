using System.Text.Json;

namespace EvalCluster.Inference.Analysis;

/// <summary>
/// Reads responses to analyse from JSONL: a run's samples.jsonl (prompt, response, correct, task, problem_id,
/// sample, arm) or any file of {"prompt", "response", "correct"?}. "prompt" is the user message; each model
/// wraps it in its own template.
/// </summary>
public static class ResponseRowReader
{
    public static IReadOnlyList<ResponseRow> Read(string path)
    {
        if (Directory.Exists(path))
        {
            path = Path.Combine(path, "samples.jsonl");
        }
        if (!File.Exists(path))
        {
            throw new InferenceException($"{path}: not found; pass a run folder, its samples.jsonl, or a JSONL file of {{\"prompt\", \"response\", \"correct\"}}.");
        }
        var rows = new List<ResponseRow>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length > 0)
            {
                rows.Add(Parse(path, lineNo, line, rows.Count));
            }
        }
        return rows;
    }

    private static ResponseRow Parse(string path, int lineNo, string line, int index)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException ex)
        {
            throw new InferenceException($"{path}: line {lineNo}: invalid JSON ({ex.Message.Split('\n')[0]}); fix or delete the line.", ex);
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InferenceException($"{path}: line {lineNo}: expected a JSON object with \"prompt\" and \"response\".");
        }
        return new ResponseRow(
            Text(root, "prompt", path, lineNo) ?? throw Missing(path, lineNo, "prompt"),
            Text(root, "response", path, lineNo) ?? throw Missing(path, lineNo, "response"),
            root.TryGetProperty("correct", out var c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False ? c.GetBoolean() : null,
            Text(root, "task", path, lineNo) ?? "",
            Text(root, "problem_id", path, lineNo) ?? Text(root, "problemId", path, lineNo) ?? Text(root, "id", path, lineNo) ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture),
            root.TryGetProperty("sample", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0,
            Text(root, "arm", path, lineNo) ?? "")
        {
            GuidePrompt = Text(root, "guide_prompt", path, lineNo) is { Length: > 0 } guide ? guide : null,
        };
    }

    private static string? Text(JsonElement root, string name, string path, int lineNo)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new InferenceException($"{path}: line {lineNo}: field \"{name}\" must be a string.");
    }

    private static InferenceException Missing(string path, int lineNo, string field) =>
        new($"{path}: line {lineNo}: missing field \"{field}\"; each line needs \"prompt\" and \"response\".");
}

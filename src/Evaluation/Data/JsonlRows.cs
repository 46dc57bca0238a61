using System.Text.Json;

namespace EvalCluster.Evaluation.Data;

/// <summary>
/// THE JSONL reader of objects (datasets, calibration sets): rows of fields with their line numbers; a line that is
/// not a JSON object names its file and line.
/// </summary>
public static class JsonlRows
{
    public static IReadOnlyList<DatasetRow> Read(string path)
    {
        var rows = new List<DatasetRow>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (text.Trim().Length == 0)
            {
                continue;
            }
            rows.Add(Parse(path, line, rows.Count, text));
        }
        return rows;
    }

    private static DatasetRow Parse(string path, int line, int index, string text)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new EvaluationException($"{path}: line {line}: malformed JSON ({ex.Message.Split('\n')[0]}); each line must be one JSON object.", ex);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new EvaluationException($"{path}: line {line}: expected a JSON object, found {doc.RootElement.ValueKind}; each line must be one JSON object.");
            }
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Array)
                {
                    lists[p.Name] = p.Value.EnumerateArray().Select(Text).Where(s => s is not null).Select(s => s!).ToList();
                }
                else
                {
                    fields[p.Name] = Text(p.Value);
                }
            }
            return new DatasetRow(index, line, fields, lists);
        }
    }

    private static string? Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.GetRawText(),
    };
}

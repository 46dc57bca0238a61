using System.Text.Json;

namespace EvalCluster.Inference.Tokenization;

/// <summary>Reads the small optional JSON files of a model folder; a file that exists but is broken is an error.</summary>
internal static class ModelFolderJson
{
    public static JsonElement? ReadOptional(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new InferenceException($"{path}: expected a JSON object at the top level");
        }
        catch (JsonException ex)
        {
            throw new InferenceException($"{path}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
    }

    /// <summary>eos_token_id as HF writes it: an int, a list of ints, or null/absent.</summary>
    public static IEnumerable<int> TokenIds(JsonElement? file, string path, string field)
    {
        if (file is not { } root || !root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        return items.Select(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var id) && id >= 0
            ? id
            : throw new InferenceException($"{path}: field {field} must be a token id or a list of token ids")).ToList();
    }

    /// <summary>A token written as a string or as an AddedToken object {"content": ...}.</summary>
    public static string? TokenText(JsonElement? file, string path, string field)
    {
        if (file is not { } root || !root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        return value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String
            ? content.GetString()
            : throw new InferenceException($"{path}: field {field} must be a string or {{\"content\": \"...\"}}");
    }
}

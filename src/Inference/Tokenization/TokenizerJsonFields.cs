using System.Text.Json;

namespace EvalCluster.Inference.Tokenization;

/// <summary>Typed access to tokenizer.json fields whose failures name the file and the field path.</summary>
internal sealed class TokenizerJsonFields(string path)
{
    public InferenceException Fail(string field, string problem) => new($"{path}: field {field} {problem}");

    public JsonElement Object(JsonElement parent, string field)
    {
        if (!parent.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw Fail(field, "missing; export the tokenizer with Hugging Face tokenizers (tokenizer.save)");
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Fail(field, $"is {value.ValueKind}, expected an object");
    }

    public string? OptionalString(JsonElement parent, string parentName, string field)
    {
        if (!parent.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Fail($"{parentName}.{field}", $"is {value.ValueKind}, expected a string");
    }

    public void RequireEmptyAffix(JsonElement model, string field)
    {
        if (!string.IsNullOrEmpty(OptionalString(model, "model", field)))
        {
            throw Fail($"model.{field}", "is set; only byte-level BPE without subword affixes (GPT-2, Qwen) is supported");
        }
    }

    public Dictionary<string, int> Vocabulary(JsonElement model)
    {
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw Fail("model.vocab", "missing or not an object; expected {\"token\": id, ...}");
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw Fail($"model.vocab[\"{entry.Name}\"]", "is not a non-negative integer id");
            }

            result[entry.Name] = id;
        }

        return result.Count > 0 ? result : throw Fail("model.vocab", "is empty");
    }

    public List<string> Merges(JsonElement model)
    {
        var result = new List<string>();
        if (!model.TryGetProperty("merges", out var merges) || merges.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (merges.ValueKind != JsonValueKind.Array)
        {
            throw Fail("model.merges", $"is {merges.ValueKind}, expected an array");
        }

        var index = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            result.Add(Merge(merge, index++));
        }

        return result;
    }

    public List<AddedToken> AddedTokens(JsonElement root)
    {
        var result = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var tokens) || tokens.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (tokens.ValueKind != JsonValueKind.Array)
        {
            throw Fail("added_tokens", $"is {tokens.ValueKind}, expected an array");
        }

        var index = 0;
        foreach (var token in tokens.EnumerateArray())
        {
            var name = $"added_tokens[{index++}]";
            var content = token.ValueKind == JsonValueKind.Object ? OptionalString(token, name, "content") : null;
            if (string.IsNullOrEmpty(content)
                || !token.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out var value))
            {
                throw Fail(name, "needs a non-empty \"content\" string and an integer \"id\"");
            }

            var special = token.TryGetProperty("special", out var flag) && flag.ValueKind == JsonValueKind.True;
            result.Add(new AddedToken(value, content, special));
        }

        return result;
    }

    private string Merge(JsonElement merge, int index)
    {
        // Older files write "a b", newer ones ["a", "b"]; byte-level symbols never contain a space.
        if (merge.ValueKind == JsonValueKind.String && merge.GetString()!.Split(' ').Length == 2)
        {
            return merge.GetString()!;
        }

        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
            && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
        {
            return $"{merge[0].GetString()} {merge[1].GetString()}";
        }

        throw Fail($"model.merges[{index}]", "is neither \"a b\" nor [\"a\", \"b\"]");
    }
}

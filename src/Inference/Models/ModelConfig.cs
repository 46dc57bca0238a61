using System.Text.Json;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Models;

/// <summary>The fields of a Hugging Face <c>config.json</c> that the engine checks against the ONNX graph.</summary>
public sealed record ModelConfig(
    string ModelType,
    int? NumHiddenLayers,
    int? NumAttentionHeads,
    int? NumKeyValueHeads,
    int? HeadDim,
    int? VocabSize,
    string? TorchDtype,
    IReadOnlyList<int> EosTokenIds,
    int? MaxPositionEmbeddings = null)
{
    public static ModelConfig Load(string path)
    {
        var root = ModelFolderJson.ReadOptional(path)
            ?? throw new InferenceException($"{path}: config.json not found; a model folder needs the config.json written by the export");
        var heads = Int(root, "num_attention_heads", path);
        var hidden = Int(root, "hidden_size", path);
        var headDim = Int(root, "head_dim", path) ?? (heads is > 0 && hidden is not null ? hidden / heads : null);
        return new ModelConfig(
            root.TryGetProperty("model_type", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString()! : "unknown",
            Int(root, "num_hidden_layers", path),
            heads,
            Int(root, "num_key_value_heads", path) ?? heads,
            headDim,
            Int(root, "vocab_size", path),
            root.TryGetProperty("torch_dtype", out var dt) && dt.ValueKind == JsonValueKind.String ? dt.GetString() : null,
            Ids(root, "eos_token_id", path),
            Int(root, "max_position_embeddings", path));
    }

    private static int? Int(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            throw new InferenceException($"{path}: field {name} must be an integer, found {v.GetRawText()}");
        }
        return i;
    }

    internal static IReadOnlyList<int> Ids(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        return v.ValueKind switch
        {
            JsonValueKind.Number => [v.GetInt32()],
            JsonValueKind.Array => v.EnumerateArray().Select(e => e.GetInt32()).ToList(),
            _ => throw new InferenceException($"{path}: field {name} must be an integer or a list of integers"),
        };
    }
}

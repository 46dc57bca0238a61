using System.Text.Json;
using EvalCluster.Inference.Tokenization;

namespace EvalCluster.Inference.Models;

/// <summary>
/// The fields of an ONNX Runtime GenAI model-builder <c>genai_config.json</c> that the engine uses: the decoder
/// file, its input/output names (KV names as printf patterns with <c>%d</c> for the layer), head counts, context
/// length and <c>search.past_present_share_buffer</c>. Anything malformed or unsupported is one line naming the field.
/// </summary>
public sealed record GenAiConfig(
    string Filename,
    int ContextLength,
    int Layers,
    int Heads,
    int KvHeads,
    int HeadSize,
    int? VocabSize,
    IReadOnlyList<int> EosTokenIds,
    string ModelType,
    string PastKeyNames,
    string PastValueNames,
    string PresentKeyNames,
    string PresentValueNames)
{
    public const string FileName = "genai_config.json";

    public static GenAiConfig Load(string path)
    {
        var root = ModelFolderJson.ReadOptional(path) ?? throw new InferenceException($"{path}: not found");
        var model = Obj(root, "model", path, "model");
        var decoder = Obj(model, "decoder", path, "model.decoder");
        var inputs = Obj(decoder, "inputs", path, "model.decoder.inputs");
        var outputs = Obj(decoder, "outputs", path, "model.decoder.outputs");
        var search = Obj(root, "search", path, "search");
        if (!search.TryGetProperty("past_present_share_buffer", out var share) || share.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new InferenceException($"{path}: field search.past_present_share_buffer must be true or false");
        }
        if (!share.GetBoolean())
        {
            throw new InferenceException($"{path}: field search.past_present_share_buffer is false; only true (past and present in one preallocated buffer) is supported — rebuild with the model builder's defaults");
        }
        Fixed(inputs, "input_ids", path, "model.decoder.inputs");
        Fixed(inputs, "attention_mask", path, "model.decoder.inputs");
        Fixed(outputs, "logits", path, "model.decoder.outputs");
        if (decoder.TryGetProperty("inputs", out _) && inputs.TryGetProperty("position_ids", out _))
        {
            throw new InferenceException($"{path}: field model.decoder.inputs.position_ids is not supported (GroupQueryAttention derives positions from attention_mask); remove it");
        }
        var context = Positive(model, "context_length", path, "model.context_length");
        var maxLength = search.TryGetProperty("max_length", out _) ? Positive(search, "max_length", path, "search.max_length") : context;
        var layers = Positive(decoder, "num_hidden_layers", path, "model.decoder.num_hidden_layers");
        var heads = Positive(decoder, "num_attention_heads", path, "model.decoder.num_attention_heads");
        var kvHeads = Positive(decoder, "num_key_value_heads", path, "model.decoder.num_key_value_heads");
        var headSize = Positive(decoder, "head_size", path, "model.decoder.head_size");
        if (heads % kvHeads != 0)
        {
            throw new InferenceException($"{path}: field model.decoder.num_attention_heads ({heads}) must be a multiple of num_key_value_heads ({kvHeads})");
        }
        int? vocab = model.TryGetProperty("vocab_size", out _) ? Positive(model, "vocab_size", path, "model.vocab_size") : null;
        var filename = decoder.TryGetProperty("filename", out var f) ? f.ValueKind == JsonValueKind.String && f.GetString() is { Length: > 0 } name
            && System.IO.Path.GetFileName(name) == name ? name
            : throw new InferenceException($"{path}: field model.decoder.filename must be a file name in this folder, found {f.GetRawText()}") : "model.onnx";
        return new GenAiConfig(filename, Math.Min(context, maxLength), layers, heads, kvHeads, headSize, vocab,
            ModelConfig.Ids(model, "eos_token_id", path),
            model.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "unknown",
            Pattern(inputs, "past_key_names", path, "model.decoder.inputs"), Pattern(inputs, "past_value_names", path, "model.decoder.inputs"),
            Pattern(outputs, "present_key_names", path, "model.decoder.outputs"), Pattern(outputs, "present_value_names", path, "model.decoder.outputs"));
    }

    /// <summary>The same facts as a <see cref="ModelConfig"/> (used when the folder has no config.json).</summary>
    public ModelConfig ToModelConfig() =>
        new(ModelType, Layers, Heads, KvHeads, HeadSize, VocabSize, null, EosTokenIds, ContextLength);

    public static string Name(string pattern, int layer) =>
        pattern.Replace("%d", layer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static JsonElement Obj(JsonElement parent, string name, string path, string field) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object
            ? v
            : throw new InferenceException($"{path}: field {field} is missing or not an object");

    private static int Positive(JsonElement parent, string name, string path, string field) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i > 0
            ? i
            : throw new InferenceException($"{path}: field {field} must be a positive integer, found {(parent.TryGetProperty(name, out var w) ? w.GetRawText() : "nothing")}");

    private static void Fixed(JsonElement parent, string name, string path, string prefix)
    {
        if (parent.TryGetProperty(name, out var v) && !(v.ValueKind == JsonValueKind.String && v.GetString() == name))
        {
            throw new InferenceException($"{path}: field {prefix}.{name} is {v.GetRawText()}; only the name \"{name}\" is supported");
        }
    }

    private static string Pattern(JsonElement parent, string name, string path, string prefix) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { } s && s.Split("%d").Length == 2
            ? s
            : throw new InferenceException($"{path}: field {prefix}.{name} must be a name pattern with one %d for the layer (e.g. \"past_key_values.%d.key\"), found {(parent.TryGetProperty(name, out var w) ? w.GetRawText() : "nothing")}");
}

using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EvalCluster.Inference.Models;

/// <summary>
/// Discovers a <see cref="ModelSignature"/> from an ONNX Runtime session's metadata and checks it against
/// <c>config.json</c>; a model that does not fit gets an error naming what was expected and what was found.
/// </summary>
internal static partial class SignatureReader
{
    [GeneratedRegex(@"^past_key_values\.(\d+)\.(key|value)$")]
    private static partial Regex PastName();

    public static ModelSignature Read(InferenceSession session, ModelConfig config, string onnxPath, GenAiConfig? genai = null)
    {
        if (genai is not null)
        {
            return ReadGenAi(session, genai, onnxPath);
        }
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        if (!inputs.ContainsKey("input_ids"))
        {
            throw Mismatch(onnxPath, "an input named input_ids", $"inputs [{string.Join(", ", inputs.Keys)}]");
        }
        if (!outputs.TryGetValue("logits", out var logits))
        {
            throw Mismatch(onnxPath, "an output named logits", $"outputs [{string.Join(", ", outputs.Keys)}]");
        }
        var vocab = logits.Dimensions.Length == 3 ? logits.Dimensions[2] : -1;
        if (config.VocabSize is { } cv && vocab > 0 && cv != vocab)
        {
            throw Mismatch(onnxPath, $"logits with vocab_size {cv} (config.json)", $"logits of width {vocab}");
        }
        vocab = vocab > 0 ? vocab : config.VocabSize ?? throw new InferenceException(
            $"{onnxPath}: the logits width is symbolic and config.json has no vocab_size; add vocab_size to config.json");
        var logitsType = ElementType(logits, "logits", onnxPath);

        var layers = inputs.Keys.Select(k => PastName().Match(k)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        if (layers.Count == 0)
        {
            return new ModelSignature(false, inputs.ContainsKey("attention_mask"), inputs.ContainsKey("position_ids"), false,
                config.NumHiddenLayers ?? 0, 0, 0, vocab, logitsType, logitsType);
        }
        if (!inputs.ContainsKey("attention_mask"))
        {
            throw Mismatch(onnxPath, "an attention_mask input (decoder-with-past exports have one)", "none");
        }
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i] != i)
            {
                throw Mismatch(onnxPath, $"past_key_values.{i}.key", $"layer indices [{string.Join(",", layers)}]");
            }
            foreach (var kind in new[] { "key", "value" })
            {
                if (!inputs.ContainsKey($"past_key_values.{i}.{kind}"))
                {
                    throw Mismatch(onnxPath, $"input past_key_values.{i}.{kind}", "it is missing");
                }
                if (!outputs.ContainsKey($"present.{i}.{kind}"))
                {
                    throw Mismatch(onnxPath, $"output present.{i}.{kind}", $"outputs [{string.Join(", ", outputs.Keys)}]");
                }
            }
        }
        var past0 = inputs["past_key_values.0.key"];
        if (past0.Dimensions.Length != 4)
        {
            throw Mismatch(onnxPath, "past_key_values.0.key of rank 4 [batch, kv_heads, past, head_dim]", $"rank {past0.Dimensions.Length}");
        }
        var kvHeads = past0.Dimensions[1] > 0 ? past0.Dimensions[1] : config.NumKeyValueHeads ?? -1;
        var headDim = past0.Dimensions[3] > 0 ? past0.Dimensions[3] : config.HeadDim ?? -1;
        if (kvHeads <= 0 || headDim <= 0)
        {
            throw new InferenceException($"{onnxPath}: KV heads/head size are symbolic and config.json lacks num_key_value_heads/head_dim; add them to config.json");
        }
        Check(onnxPath, "num_hidden_layers", config.NumHiddenLayers, layers.Count, "past_key_values layers");
        Check(onnxPath, "num_key_value_heads", config.NumKeyValueHeads, kvHeads, "past_key_values.0.key dimension 1 (KV heads)");
        Check(onnxPath, "head_dim", config.HeadDim, headDim, "past_key_values.0.key dimension 3 (head size)");
        return new ModelSignature(true, true, inputs.ContainsKey("position_ids"), inputs.ContainsKey("use_cache_branch"),
            layers.Count, kvHeads, headDim, vocab, ElementType(past0, "past_key_values.0.key", onnxPath), logitsType);
    }

    // A GenAI model-builder graph: every name genai_config.json gives exists with the geometry it states.
    private static ModelSignature ReadGenAi(InferenceSession session, GenAiConfig g, string onnxPath)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        foreach (var name in new[] { "input_ids", "attention_mask" })
        {
            if (!inputs.ContainsKey(name))
            {
                throw Mismatch(onnxPath, $"an input named {name} (genai_config.json model.decoder.inputs)", $"inputs [{string.Join(", ", inputs.Keys)}]");
            }
        }
        if (!outputs.TryGetValue("logits", out var logits) || logits.Dimensions.Length != 3)
        {
            throw Mismatch(onnxPath, "an output logits [batch, seq, vocab]", $"outputs [{string.Join(", ", outputs.Keys)}]");
        }
        var vocab = logits.Dimensions[2] > 0 ? logits.Dimensions[2] : g.VocabSize ?? throw new InferenceException(
            $"{onnxPath}: the logits width is symbolic and genai_config.json has no model.vocab_size; add it");
        if (g.VocabSize is { } gv && gv != vocab)
        {
            throw Mismatch(onnxPath, $"logits of width {gv} (genai_config.json model.vocab_size)", $"width {vocab}");
        }
        var pastCount = inputs.Keys.Count(k => k.StartsWith("past", StringComparison.Ordinal));
        if (pastCount != 2 * g.Layers)
        {
            throw Mismatch(onnxPath, $"{2 * g.Layers} past inputs (genai_config.json model.decoder.num_hidden_layers={g.Layers})", $"{pastCount}");
        }
        NodeMetadata? first = null;
        for (var l = 0; l < g.Layers; l++)
        {
            foreach (var (pattern, table, field) in new[] { (g.PastKeyNames, inputs, "inputs.past_key_names"), (g.PastValueNames, inputs, "inputs.past_value_names"),
                (g.PresentKeyNames, outputs, "outputs.present_key_names"), (g.PresentValueNames, outputs, "outputs.present_value_names") })
            {
                var name = GenAiConfig.Name(pattern, l);
                if (!table.TryGetValue(name, out var meta))
                {
                    throw Mismatch(onnxPath, $"{name} (genai_config.json model.decoder.{field})", "no such graph input/output");
                }
                if (meta.Dimensions.Length != 4 || meta.Dimensions[1] != g.KvHeads || meta.Dimensions[3] != g.HeadSize)
                {
                    throw Mismatch(onnxPath, $"{name} of shape [batch, {g.KvHeads}, length, {g.HeadSize}] (genai_config.json num_key_value_heads, head_size)",
                        $"[{string.Join(", ", meta.Dimensions)}]");
                }
                first ??= meta;
            }
        }
        return new ModelSignature(true, true, false, false, g.Layers, g.KvHeads, g.HeadSize, vocab,
            ElementType(first!, GenAiConfig.Name(g.PastKeyNames, 0), onnxPath), ElementType(logits, "logits", onnxPath),
            true, g.PastKeyNames, g.PastValueNames, g.PresentKeyNames, g.PresentValueNames);
    }

    private static void Check(string onnxPath, string field, int? configured, int found, string where)
    {
        if (configured is { } c && c != found)
        {
            throw new InferenceException(
                $"{onnxPath}: config.json says {field}={c} but the graph has {found} ({where}); the config does not belong to this model.onnx — re-export both together");
        }
    }

    private static KvElementType ElementType(NodeMetadata meta, string name, string onnxPath) => meta.ElementDataType switch
    {
        TensorElementType.Float => KvElementType.Float32,
        TensorElementType.Float16 => KvElementType.Float16,
        var other => throw Mismatch(onnxPath, $"{name} of type float32 or float16", other.ToString()),
    };

    private static InferenceException Mismatch(string onnxPath, string expected, string found) =>
        new($"{onnxPath}: expected {expected}, found {found}");
}

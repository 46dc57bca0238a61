using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace EvalCluster.TestModels;

/// <summary>
/// Writes a complete model folder (config.json, model.onnx, tokenizer.json, tokenizer_config.json,
/// generation_config.json) holding a deterministic random-weight decoder: the same spec gives the same bytes.
/// </summary>
public static class TestModelWriter
{
    public static string Write(string dir, TestModelSpec spec) => Write(dir, spec, externalData: false);

    /// <summary>As <see cref="Write(string, TestModelSpec)"/>; with <paramref name="externalData"/> the weights go to
    /// <c>model.onnx.data</c> as ONNX external data (<see cref="ExternalData"/>), required above 2 GB.</summary>
    public static string Write(string dir, TestModelSpec spec, bool externalData)
    {
        Directory.CreateDirectory(dir);
        var model = new DecoderGraph(spec).Build();
        if (externalData)
        {
            ExternalData.Save(model, Path.Combine(dir, "model.onnx"));
        }
        else
        {
            File.WriteAllBytes(Path.Combine(dir, "model.onnx"), model.ToByteArray());
        }
        var config = new JsonObject
        {
            ["model_type"] = "qwen3",
            ["architectures"] = new JsonArray("Qwen3ForCausalLM"),
            ["num_hidden_layers"] = spec.Layers,
            ["hidden_size"] = spec.Hidden,
            ["num_attention_heads"] = spec.Heads,
            ["num_key_value_heads"] = spec.KvHeads,
            ["head_dim"] = spec.HeadDim,
            ["intermediate_size"] = spec.FfnDim,
            ["vocab_size"] = spec.VocabSize,
            ["rope_theta"] = spec.RopeTheta,
            ["max_position_embeddings"] = spec.MaxPositions,
            ["tie_word_embeddings"] = true,
            ["torch_dtype"] = spec.Float16 ? "float16" : "float32",
            ["eos_token_id"] = spec.ChatTemplate ? ByteTokenizerFiles.ImEnd : ByteTokenizerFiles.EndOfText,
        };
        var options = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString(options));
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), new JsonObject
        {
            ["eos_token_id"] = spec.ChatTemplate ? new JsonArray(ByteTokenizerFiles.ImEnd, ByteTokenizerFiles.EndOfText) : ByteTokenizerFiles.EndOfText,
        }.ToJsonString(options));
        ByteTokenizerFiles.Write(dir, spec.ChatTemplate);
        if (spec.GenAi)
        {
            File.WriteAllText(Path.Combine(dir, "genai_config.json"), GenAiConfig(spec).ToJsonString(options));
        }
        return dir;
    }

    /// <summary>genai_config.json as the onnxruntime-genai model builder writes it (the fields a decoder-only model uses).</summary>
    public static JsonObject GenAiConfig(TestModelSpec spec)
    {
        var eos = spec.ChatTemplate ? ByteTokenizerFiles.ImEnd : ByteTokenizerFiles.EndOfText;
        return new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["bos_token_id"] = eos,
                ["context_length"] = spec.MaxPositions,
                ["decoder"] = new JsonObject
                {
                    ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                    ["filename"] = "model.onnx",
                    ["head_size"] = spec.HeadDim,
                    ["hidden_size"] = spec.Hidden,
                    ["inputs"] = new JsonObject
                    {
                        ["input_ids"] = "input_ids",
                        ["attention_mask"] = "attention_mask",
                        ["past_key_names"] = "past_key_values.%d.key",
                        ["past_value_names"] = "past_key_values.%d.value",
                    },
                    ["outputs"] = new JsonObject
                    {
                        ["logits"] = "logits",
                        ["present_key_names"] = "present.%d.key",
                        ["present_value_names"] = "present.%d.value",
                    },
                    ["num_attention_heads"] = spec.Heads,
                    ["num_hidden_layers"] = spec.Layers,
                    ["num_key_value_heads"] = spec.KvHeads,
                },
                ["eos_token_id"] = eos,
                ["pad_token_id"] = eos,
                ["type"] = "qwen3",
                ["vocab_size"] = spec.VocabSize,
            },
            ["search"] = new JsonObject
            {
                ["diversity_penalty"] = 0.0,
                ["do_sample"] = false,
                ["early_stopping"] = true,
                ["length_penalty"] = 1.0,
                ["max_length"] = spec.MaxPositions,
                ["min_length"] = 0,
                ["no_repeat_ngram_size"] = 0,
                ["num_beams"] = 1,
                ["num_return_sequences"] = 1,
                ["past_present_share_buffer"] = true,
                ["repetition_penalty"] = 1.0,
                ["temperature"] = 1.0,
                ["top_k"] = 1,
                ["top_p"] = 1.0,
            },
        };
    }

    /// <summary>Writes the model into a fresh folder under the temp directory named after the spec.</summary>
    public static string WriteTemp(TestModelSpec spec, string? tag = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "evalcluster-models", $"{tag ?? "m"}-{spec.GetHashCode():x8}-{Guid.NewGuid():N}");
        return Write(dir, spec);
    }
}

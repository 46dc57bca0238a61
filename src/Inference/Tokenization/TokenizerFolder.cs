using System.Text.Json;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Loads the text side of a Hugging Face model folder: tokenizer.json, the chat template flag from
/// tokenizer_config.json, and the end-of-sequence ids from generation_config.json, config.json and
/// tokenizer_config.json together (HF models spread them over the three).
/// </summary>
public static class TokenizerFolder
{
    public const string EndOfText = "<|endoftext|>";

    public static TokenizerBundle Load(string modelDir)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        if (!Directory.Exists(modelDir))
        {
            throw new InferenceException($"model folder {modelDir}: not found; pass the folder of an exported model");
        }

        var tokenizerPath = Path.Combine(modelDir, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new InferenceException(
                $"model folder {modelDir}: tokenizer.json not found; export the tokenizer with the model "
                + "(optimum-cli export onnx, or tokenizer.save_pretrained into the same folder)");
        }

        var tokenizer = HfTokenizer.Load(tokenizerPath);
        var configPath = Path.Combine(modelDir, "tokenizer_config.json");
        var tokenizerConfig = ModelFolderJson.ReadOptional(configPath);
        var hasChatTemplate = ChatTemplate(tokenizerConfig) is { } template && template.Contains(ChatMlTemplate.ImStart, StringComparison.Ordinal);
        var eos = EosTokenResolver.Resolve(modelDir, tokenizer, tokenizerConfig, hasChatTemplate);
        return new TokenizerBundle(tokenizer, eos, hasChatTemplate, modelDir);
    }

    // chat_template is a string, or (older multi-template files) a list of {name, template}.
    private static string? ChatTemplate(JsonElement? config)
    {
        if (config is not { } root || !root.TryGetProperty("chat_template", out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array => string.Join("\n", value.EnumerateArray()
                .Where(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("template", out _))
                .Select(item => item.GetProperty("template").ToString())),
            _ => null,
        };
    }
}

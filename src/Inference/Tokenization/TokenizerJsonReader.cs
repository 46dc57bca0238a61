using System.Text.Json;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Reads the parts of a Hugging Face tokenizer.json that byte-level BPE needs (GPT-2, Qwen2/2.5/3 layout) and
/// rejects anything it would silently get wrong, naming the file and the field.
/// </summary>
internal static class TokenizerJsonReader
{
    public static TokenizerSpec Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InferenceException($"{path}: file not found; pass the tokenizer.json exported with the model");
        }

        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new InferenceException($"{path}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            var fields = new TokenizerJsonFields(path);
            var root = document.RootElement;
            var model = fields.Object(root, "model");
            var type = fields.OptionalString(model, "model", "type");
            if (type is not null && type != "BPE")
            {
                throw fields.Fail("model.type", $"is \"{type}\"; only byte-level BPE tokenizers (GPT-2, Qwen) are supported");
            }

            fields.RequireEmptyAffix(model, "continuing_subword_prefix");
            fields.RequireEmptyAffix(model, "end_of_word_suffix");
            var vocabulary = fields.Vocabulary(model);
            var merges = fields.Merges(model);
            var added = fields.AddedTokens(root);
            var normalization = TokenizerJsonNormalizer.Read(fields, root);
            var (pattern, addPrefixSpace, byteLevel) = TokenizerJsonPreTokenizer.Read(fields, root);
            var decoderType = root.TryGetProperty("decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object
                ? fields.OptionalString(decoder, "decoder", "type")
                : null;
            if (!byteLevel && decoderType != "ByteLevel")
            {
                throw fields.Fail("pre_tokenizer", "declares no ByteLevel step; only byte-level BPE tokenizers (GPT-2, Qwen) are supported");
            }

            return new TokenizerSpec(vocabulary, merges, added, normalization, pattern, addPrefixSpace);
        }
    }
}

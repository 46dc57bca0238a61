using System.Text.Json;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Collects the ids that end generation: the union of generation_config.json and config.json eos_token_id
/// and tokenizer_config.json eos_token. A ChatML model also stops at &lt;|im_end|&gt; and &lt;|endoftext|&gt;, since its
/// turns close with the first and its pre-training documents with the second.
/// </summary>
internal static class EosTokenResolver
{
    public static IReadOnlyList<int> Resolve(string modelDir, HfTokenizer tokenizer, JsonElement? tokenizerConfig, bool chat)
    {
        var ids = new List<int>();
        foreach (var file in new[] { "generation_config.json", "config.json" })
        {
            var path = Path.Combine(modelDir, file);
            foreach (var id in ModelFolderJson.TokenIds(ModelFolderJson.ReadOptional(path), path, "eos_token_id"))
            {
                Add(ids, tokenizer.IdToToken(id) is null
                    ? throw new InferenceException($"{path}: field eos_token_id {id} is not a token of tokenizer.json (vocabulary size {tokenizer.VocabSize})")
                    : id);
            }
        }

        var configPath = Path.Combine(modelDir, "tokenizer_config.json");
        if (ModelFolderJson.TokenText(tokenizerConfig, configPath, "eos_token") is { } eosText)
        {
            Add(ids, tokenizer.TokenToId(eosText)
                ?? throw new InferenceException($"{configPath}: field eos_token \"{eosText}\" is not a token of tokenizer.json"));
        }

        if (chat)
        {
            AddIfKnown(ids, tokenizer, ChatMlTemplate.ImEnd);
            AddIfKnown(ids, tokenizer, TokenizerFolder.EndOfText);
        }

        if (ids.Count == 0)
        {
            AddIfKnown(ids, tokenizer, TokenizerFolder.EndOfText);
        }

        return ids.Count > 0
            ? ids
            : throw new InferenceException(
                $"model folder {modelDir}: no end-of-sequence token; set eos_token_id in generation_config.json or eos_token in tokenizer_config.json");
    }

    private static void AddIfKnown(List<int> ids, HfTokenizer tokenizer, string token)
    {
        if (tokenizer.TokenToId(token) is { } id)
        {
            Add(ids, id);
        }
    }

    private static void Add(List<int> ids, int id)
    {
        if (!ids.Contains(id))
        {
            ids.Add(id);
        }
    }
}

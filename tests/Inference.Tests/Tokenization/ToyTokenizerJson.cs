using System.Text.Json.Nodes;

namespace EvalCluster.Inference.Tests.Tokenization;

/// <summary>
/// Builds the tiny byte-level tokenizer.json that toy models ship: the 256 bytes in GPT-2's byte-to-unicode
/// form as ids 0..255 (so a token id is the byte value), optional merges, and the ChatML added tokens.
/// </summary>
internal static class ToyTokenizerJson
{
    public const int EndOfText = 256;
    public const int ImStart = 257;
    public const int ImEnd = 258;

    public static char[] ByteToUnicode()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range('\u00A1', '\u00AC' - '\u00A1' + 1))
            .Concat(Enumerable.Range('\u00AE', '\u00FF' - '\u00AE' + 1))
            .ToHashSet();
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            map[b] = printable.Contains(b) ? (char)b : (char)next++;
        }

        return map;
    }

    /// <summary>The Qwen layout (NFC, Split regex + ByteLevel) unless gpt2 is set (ByteLevel with its own regex).</summary>
    public static JsonObject Build(bool gpt2 = false, params (string Left, string Right)[] merges)
    {
        var vocab = new JsonObject();
        var bytes = ByteToUnicode();
        for (var b = 0; b < 256; b++)
        {
            vocab[bytes[b].ToString()] = b;
        }

        var nextId = 259;
        foreach (var (left, right) in merges)
        {
            vocab[left + right] = nextId++;
        }

        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = gpt2 };
        var split = new JsonObject
        {
            ["type"] = "Split",
            ["pattern"] = new JsonObject { ["Regex"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+" },
            ["behavior"] = "Isolated",
            ["invert"] = false,
        };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(Added(EndOfText, "<|endoftext|>"), Added(ImStart, "<|im_start|>"), Added(ImEnd, "<|im_end|>")),
            ["normalizer"] = gpt2 ? null : new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = gpt2 ? byteLevel : new JsonObject { ["type"] = "Sequence", ["pretokenizers"] = new JsonArray(split, byteLevel) },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(merges.Select(m => (JsonNode)new JsonArray(m.Left, m.Right)).ToArray()),
            },
        };
    }

    public static string Save(JsonObject tokenizer, TempDirectory dir) => dir.Write("tokenizer.json", tokenizer.ToJsonString());

    private static JsonObject Added(int id, string content) => new()
    {
        ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false,
        ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
    };
}

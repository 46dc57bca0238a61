using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvalCluster.TestModels;

/// <summary>
/// Writes a byte-level Hugging Face tokenizer.json (256 byte tokens in GPT-2's byte-to-unicode alphabet,
/// no merges) with the special tokens &lt;|endoftext|&gt; (256), &lt;|im_start|&gt; (257), &lt;|im_end|&gt; (258).
/// </summary>
public static class ByteTokenizerFiles
{
    public const int EndOfText = 256;
    public const int ImStart = 257;
    public const int ImEnd = 258;

    public static void Write(string dir, bool chatTemplate)
    {
        var vocab = new JsonObject();
        var alphabet = ByteAlphabet();
        for (var b = 0; b < 256; b++)
        {
            vocab[alphabet[b].ToString()] = b;
        }
        var added = new JsonArray();
        foreach (var (id, text) in new[] { (EndOfText, "<|endoftext|>"), (ImStart, "<|im_start|>"), (ImEnd, "<|im_end|>") })
        {
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = text, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = new JsonArray() },
        };
        var options = new JsonSerializerOptions { WriteIndented = true };
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), tokenizer.ToJsonString(options), Encoding.UTF8);
        var config = new JsonObject
        {
            ["eos_token"] = chatTemplate ? "<|im_end|>" : "<|endoftext|>",
            ["pad_token"] = "<|endoftext|>",
        };
        if (chatTemplate)
        {
            config["chat_template"] = "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}<|im_start|>assistant\n";
        }
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), config.ToJsonString(options), Encoding.UTF8);
    }

    /// <summary>GPT-2's reversible byte-to-unicode map.</summary>
    public static char[] ByteAlphabet()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToHashSet();
        var map = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            map[b] = printable.Contains(b) ? (char)b : (char)(256 + next++);
        }
        return map;
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Reads tokenizer.json's pre_tokenizer into one split regex: a Split(Regex, Isolated) step (Qwen) or the
/// ByteLevel step's built-in GPT-2 regex (use_regex), plus whether a ByteLevel step is present.
/// </summary>
internal static class TokenizerJsonPreTokenizer
{
    /// <summary>The regex HF's ByteLevel pre-tokenizer applies when use_regex is true (GPT-2's).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>Used when no step splits: the whole text is one word, as in HF.</summary>
    public const string WholeTextPattern = @"[\s\S]+";

    public static (string Pattern, bool AddPrefixSpace, bool ByteLevel) Read(TokenizerJsonFields fields, JsonElement root)
    {
        var state = new State();
        if (root.TryGetProperty("pre_tokenizer", out var pre) && pre.ValueKind != JsonValueKind.Null)
        {
            Collect(fields, pre, "pre_tokenizer", state);
        }

        return (state.Pattern ?? WholeTextPattern, state.AddPrefixSpace, state.ByteLevel);
    }

    private static void Collect(TokenizerJsonFields fields, JsonElement step, string name, State state)
    {
        var type = step.ValueKind == JsonValueKind.Object ? fields.OptionalString(step, name, "type") : null;
        switch (type)
        {
            case "Sequence" when step.TryGetProperty("pretokenizers", out var list) && list.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var inner in list.EnumerateArray())
                {
                    Collect(fields, inner, $"{name}.pretokenizers[{index++}]", state);
                }

                break;
            case "ByteLevel":
                state.ByteLevel = true;
                state.AddPrefixSpace = Flag(step, "add_prefix_space", fallback: false);
                if (Flag(step, "use_regex", fallback: true))
                {
                    state.SetPattern(fields, name, Gpt2Pattern);
                }

                break;
            case "Split":
                state.SetPattern(fields, name, SplitPattern(fields, step, name));
                break;
            default:
                throw fields.Fail($"{name}.type", $"is \"{type}\"; supported pre-tokenizers are ByteLevel, Split(Isolated) and Sequence of them");
        }
    }

    private static string SplitPattern(TokenizerJsonFields fields, JsonElement step, string name)
    {
        if (fields.OptionalString(step, name, "behavior") is not "Isolated" || Flag(step, "invert", fallback: false))
        {
            throw fields.Fail($"{name}.behavior", "must be \"Isolated\" with invert false; other Split behaviours are not supported");
        }

        if (step.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.Object)
        {
            if (fields.OptionalString(pattern, $"{name}.pattern", "Regex") is { } regex)
            {
                return regex;
            }

            if (fields.OptionalString(pattern, $"{name}.pattern", "String") is { } literal)
            {
                return Regex.Escape(literal);
            }
        }

        throw fields.Fail($"{name}.pattern", "missing; expected {\"Regex\": \"...\"} or {\"String\": \"...\"}");
    }

    private static bool Flag(JsonElement step, string field, bool fallback) =>
        step.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : fallback;

    private sealed class State
    {
        public string? Pattern { get; private set; }

        public bool AddPrefixSpace { get; set; }

        public bool ByteLevel { get; set; }

        public void SetPattern(TokenizerJsonFields fields, string name, string pattern)
        {
            if (Pattern is not null)
            {
                throw fields.Fail(name, "adds a second splitting regex; only one splitting step is supported");
            }

            Pattern = pattern;
        }
    }
}

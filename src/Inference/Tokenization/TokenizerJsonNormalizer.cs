using System.Text;
using System.Text.Json;

namespace EvalCluster.Inference.Tokenization;

/// <summary>Reads tokenizer.json's normalizer: none, or one Unicode normalisation form (possibly in a Sequence).</summary>
internal static class TokenizerJsonNormalizer
{
    public static NormalizationForm? Read(TokenizerJsonFields fields, JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var forms = new List<NormalizationForm>();
        Collect(fields, normalizer, "normalizer", forms);
        return forms.Count switch
        {
            0 => null,
            1 => forms[0],
            _ => throw fields.Fail("normalizer", "chains several Unicode normalisation forms; only one is supported"),
        };
    }

    private static void Collect(TokenizerJsonFields fields, JsonElement normalizer, string name, List<NormalizationForm> forms)
    {
        var type = normalizer.ValueKind == JsonValueKind.Object ? fields.OptionalString(normalizer, name, "type") : null;
        switch (type)
        {
            case "NFC":
                forms.Add(NormalizationForm.FormC);
                break;
            case "NFD":
                forms.Add(NormalizationForm.FormD);
                break;
            case "NFKC":
                forms.Add(NormalizationForm.FormKC);
                break;
            case "NFKD":
                forms.Add(NormalizationForm.FormKD);
                break;
            case "Sequence" when normalizer.TryGetProperty("normalizers", out var list) && list.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var inner in list.EnumerateArray())
                {
                    Collect(fields, inner, $"{name}.normalizers[{index++}]", forms);
                }

                break;
            default:
                throw fields.Fail($"{name}.type", $"is \"{type}\"; supported normalizers are NFC, NFD, NFKC, NFKD and Sequence of them");
        }
    }
}

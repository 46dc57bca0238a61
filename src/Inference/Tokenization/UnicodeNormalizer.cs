using System.Text;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Applies the Unicode normalisation form a tokenizer.json declares. NFC (Qwen, most byte-level files) uses
/// EvalCluster's own tables; the rarer forms use the platform and fail loudly where it cannot normalise:
/// under InvariantGlobalization .NET's string.Normalize silently returns non-ASCII text unchanged.
/// </summary>
internal static class UnicodeNormalizer
{
    private static readonly bool PlatformNormalizes = "e\u0301".Normalize(NormalizationForm.FormC).Length == 1;

    public static string Apply(string text, NormalizationForm form)
    {
        if (form == NormalizationForm.FormC)
        {
            return Nfc.Normalize(text);
        }

        if (!PlatformNormalizes && text.AsSpan().ContainsAnyExceptInRange('\0', '\u007F'))
        {
            throw new InferenceException(
                $"tokenizer needs Unicode normalisation {form}, which this process cannot apply (it runs with "
                + "invariant globalization); set InvariantGlobalization=false and install ICU (libicu)");
        }

        return text.Normalize(form);
    }
}

using System.Text;

namespace EvalCluster.Inference.Tokenization;

/// <summary>
/// Unicode Normalization Form C (UAX #15) from EvalCluster's own tables, because .NET's string.Normalize
/// silently returns non-ASCII text unchanged under InvariantGlobalization, which would give wrong token ids
/// without any error. Hugging Face tokenizers likewise carries its own tables instead of using the platform's.
/// </summary>
internal static class Nfc
{
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private static readonly Lazy<NfcTables> Tables = new(NfcTables.Parse);

    public static string Normalize(string text)
    {
        // Below U+0300 nothing decomposes into or composes with a mark: ASCII and Latin-1 prompts skip the work.
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', '\u02FF'))
        {
            return text;
        }

        var tables = Tables.Value;
        var codePoints = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, codePoints, tables);
        }

        Reorder(codePoints, tables);
        Compose(codePoints, tables);
        var result = new StringBuilder(text.Length);
        foreach (var codePoint in codePoints)
        {
            result.Append(char.ConvertFromUtf32(codePoint));
        }

        return result.ToString();
    }

    private static void Decompose(int codePoint, List<int> output, NfcTables tables)
    {
        if (codePoint is >= SBase and < SBase + SCount)
        {
            var index = codePoint - SBase;
            output.Add(LBase + index / NCount);
            output.Add(VBase + index % NCount / TCount);
            if (index % TCount != 0)
            {
                output.Add(TBase + index % TCount);
            }

            return;
        }

        if (tables.Mappings.TryGetValue(codePoint, out var parts))
        {
            foreach (var part in parts)
            {
                Decompose(part, output, tables);
            }

            return;
        }

        output.Add(codePoint);
    }

    // Canonical ordering: a stable sort by combining class within each run of non-starters.
    private static void Reorder(List<int> codePoints, NfcTables tables)
    {
        for (var i = 1; i < codePoints.Count; i++)
        {
            var current = codePoints[i];
            var cls = tables.Class(current);
            var j = i;
            while (cls != 0 && j > 0 && tables.Class(codePoints[j - 1]) > cls)
            {
                codePoints[j] = codePoints[j - 1];
                j--;
            }

            codePoints[j] = current;
        }
    }

    private static void Compose(List<int> codePoints, NfcTables tables)
    {
        if (codePoints.Count == 0)
        {
            return;
        }

        var starterPos = 0;
        var lastClass = tables.Class(codePoints[0]) == 0 ? 0 : 256;
        var write = 1;
        for (var read = 1; read < codePoints.Count; read++)
        {
            var current = codePoints[read];
            var cls = tables.Class(current);
            var blocked = lastClass != 0 && lastClass >= cls;
            if (lastClass != 256 && !blocked && Composite(codePoints[starterPos], current, tables) is { } composite)
            {
                codePoints[starterPos] = composite;
                continue;
            }

            if (cls == 0)
            {
                starterPos = write;
            }

            lastClass = cls;
            codePoints[write++] = current;
        }

        codePoints.RemoveRange(write, codePoints.Count - write);
    }

    private static int? Composite(int first, int second, NfcTables tables)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
        {
            return SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
        }

        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0
            && second is > TBase and < TBase + TCount)
        {
            return first + (second - TBase);
        }

        return tables.Compositions.TryGetValue(((long)first << 21) | (uint)second, out var composite) ? composite : null;
    }
}

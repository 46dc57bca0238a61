using System.Globalization;

namespace EvalCluster.Inference.Tokenization;

/// <summary>The parsed form of <see cref="NfcData"/>: one-level canonical mappings, combining classes, compositions.</summary>
internal sealed class NfcTables
{
    private NfcTables(Dictionary<int, int[]> mappings, Dictionary<int, byte> classes, Dictionary<long, int> compositions)
    {
        Mappings = mappings;
        Classes = classes;
        Compositions = compositions;
    }

    public Dictionary<int, int[]> Mappings { get; }

    public Dictionary<int, byte> Classes { get; }

    /// <summary>Primary composites keyed by (first &lt;&lt; 21 | second).</summary>
    public Dictionary<long, int> Compositions { get; }

    public int Class(int codePoint) => Classes.TryGetValue(codePoint, out var cls) ? cls : 0;

    public static NfcTables Parse()
    {
        var mappings = new Dictionary<int, int[]>();
        foreach (var entry in Entries(NfcData.Mappings))
        {
            var (key, value) = Split(entry, '=');
            mappings[Hex(key)] = value.Split(',').Select(Hex).ToArray();
        }

        var classes = new Dictionary<int, byte>();
        foreach (var entry in Entries(NfcData.CombiningClasses))
        {
            var (range, cls) = Split(entry, ':');
            var (first, last) = Split(range, '-');
            for (var codePoint = Hex(first); codePoint <= Hex(last); codePoint++)
            {
                classes[codePoint] = byte.Parse(cls, CultureInfo.InvariantCulture);
            }
        }

        var excluded = Entries(NfcData.Exclusions).Select(Hex).ToHashSet();
        var compositions = new Dictionary<long, int>();
        foreach (var (composite, parts) in mappings)
        {
            // Singletons and decompositions starting with a non-starter never recompose (UAX #15).
            if (parts.Length == 2 && !excluded.Contains(composite) && !classes.ContainsKey(parts[0]))
            {
                compositions[((long)parts[0] << 21) | (uint)parts[1]] = composite;
            }
        }

        return new NfcTables(mappings, classes, compositions);
    }

    private static IEnumerable<string> Entries(string data) => data.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static (string Left, string Right) Split(string entry, char separator)
    {
        var at = entry.IndexOf(separator, StringComparison.Ordinal);
        return (entry[..at], entry[(at + 1)..]);
    }

    private static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}

using System.Text;
using System.Text.Json;

namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// Reads and repairs samples.jsonl. Readers take the first record per key and never stop at a bad line: an
/// unterminated last line (a crash mid-write) is ignored, and a corrupt line mid-file (a torn line that a later
/// record was appended onto, by an older version) yields the whole record glued to its end when there is one,
/// else it is skipped; either way it is reported. Before appending, a torn last line is cut (<see cref="CutTornTail"/>).
/// </summary>
internal static class SampleFile
{
    public static IReadOnlyList<SampleRecord> Read(string path, List<string>? problems = null)
    {
        var records = new List<SampleRecord>();
        if (!File.Exists(path))
        {
            return records;
        }
        var seen = new HashSet<SampleKey>();
        var lines = File.ReadAllText(path).Split('\n');
        // The last element is "" when the file ends with a newline, else a partial line from a crash.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            var record = Parse(path, i + 1, lines[i], problems);
            if (record is not null && seen.Add(record.Key))
            {
                records.Add(record);
            }
        }
        return records;
    }

    /// <summary>
    /// Cuts an unterminated last line off the file (a kill during a write), so the next append starts a line of its
    /// own; returns the one-line report, or null when the file ends cleanly.
    /// </summary>
    public static string? CutTornTail(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var length = stream.Length;
        if (length == 0 || LastByte(stream, length - 1) == (byte)'\n')
        {
            return null;
        }
        var keep = length - 1;
        var buffer = new byte[64 * 1024];
        while (keep > 0)
        {
            var start = Math.Max(0, keep - buffer.Length);
            stream.Position = start;
            stream.ReadExactly(buffer, 0, (int)(keep - start));
            var newline = Array.LastIndexOf(buffer, (byte)'\n', (int)(keep - start) - 1);
            if (newline >= 0)
            {
                keep = start + newline + 1;
                break;
            }
            keep = start;
        }
        stream.SetLength(keep);
        stream.Flush(flushToDisk: true);
        return $"{path}: cut a torn last line ({length - keep} bytes, an interrupted write) before appending; its sample is generated again.";
    }

    private static byte LastByte(FileStream stream, long position)
    {
        stream.Position = position;
        return (byte)stream.ReadByte();
    }

    private static SampleRecord? Parse(string path, int line, string text, List<string>? problems)
    {
        try
        {
            return JsonSerializer.Deserialize<SampleRecord>(text, RunJson.Line);
        }
        catch (JsonException ex)
        {
            // A torn line with a whole record appended onto it: the record starts at one of the later '{"'.
            for (var start = text.IndexOf("{\"", 1, StringComparison.Ordinal); start > 0; start = text.IndexOf("{\"", start + 1, StringComparison.Ordinal))
            {
                if (TryParse(text[start..]) is { } glued)
                {
                    problems?.Add($"{path}: line {line}: a torn record with a whole one appended; kept the whole one ({Encoding.UTF8.GetByteCount(text[..start])} bytes dropped).");
                    return glued;
                }
            }
            problems?.Add($"{path}: line {line}: invalid sample record ({RunFileJson.FirstLine(ex.Message)}); skipped, so its sample is generated again on resume.");
            return null;
        }
    }

    private static SampleRecord? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<SampleRecord>(text, RunJson.Line);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

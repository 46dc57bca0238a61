using System.Text.Json;

namespace EvalCluster.Evaluation.Runs;

/// <summary>Reads samples.jsonl: first record per key wins; an unterminated last line (a crash mid-write) is ignored.</summary>
internal static class SampleFile
{
    public static IReadOnlyList<SampleRecord> Read(string path)
    {
        var records = new List<SampleRecord>();
        if (!File.Exists(path))
        {
            return records;
        }
        var seen = new HashSet<SampleKey>();
        var text = File.ReadAllText(path);
        var lines = text.Split('\n');
        // The last element is "" when the file ends with a newline, else a partial line from a crash.
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            var record = Parse(path, i + 1, lines[i]);
            if (seen.Add(record.Key))
            {
                records.Add(record);
            }
        }
        return records;
    }

    private static SampleRecord Parse(string path, int line, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<SampleRecord>(text, RunJson.Line)
                ?? throw new EvaluationException($"{path}: line {line}: null record; delete the line or rerun to regenerate it.");
        }
        catch (JsonException ex)
        {
            throw new EvaluationException($"{path}: line {line}: invalid sample record ({RunFileJson.FirstLine(ex.Message)}); delete the line and resume the run to regenerate it.", ex);
        }
    }
}

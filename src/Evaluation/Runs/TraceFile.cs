using System.Text.Json;

namespace EvalCluster.Evaluation.Runs;

/// <summary>Reads the optional traces.jsonl of a run folder.</summary>
internal static class TraceFile
{
    public static IReadOnlyList<TraceRecord> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }
        var records = new List<TraceRecord>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            try
            {
                records.Add(JsonSerializer.Deserialize<TraceRecord>(line, RunJson.Line)!);
            }
            catch (JsonException ex)
            {
                throw new EvaluationException($"{path}: line {lineNo}: invalid trace record ({RunFileJson.FirstLine(ex.Message)}); fix or delete the line.", ex);
            }
        }
        return records;
    }
}

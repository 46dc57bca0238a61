using System.Text.Encodings.Web;
using System.Text.Json;

namespace EvalCluster.ToyPlan;

/// <summary>Writes the splits as JSONL: test (id, problem, answer), calibration (id, problem) and train (everything the trainer needs).</summary>
public static class PlanJsonlWriter
{
    // Relaxed escaping keeps '+' and '\boxed' readable in the shipped files; they are never embedded in HTML.
    private static readonly JsonWriterOptions _options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteAll(PlanDataset dataset, string directory)
    {
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, "test.jsonl"), dataset.Test, (w, row) =>
        {
            w.WriteString("id", row.Id);
            w.WriteString("problem", row.Problem.Problem);
            w.WriteString("answer", row.Problem.Answer);
        });
        Write(Path.Combine(directory, "calibration.jsonl"), dataset.Calibration, (w, row) =>
        {
            w.WriteString("id", row.Id);
            w.WriteString("problem", row.Problem.Problem);
        });
        Write(Path.Combine(directory, "train.jsonl"), dataset.Train, (w, row) =>
        {
            w.WriteString("id", row.Id);
            w.WriteNumber("structure", row.Problem.Structure.Index);
            w.WriteString("problem", row.Problem.Problem);
            w.WriteString("answer", row.Problem.Answer);
            w.WriteString("solution", row.Problem.Solution);
            w.WriteString("wrong_solution", row.Problem.WrongSolution);
            w.WriteString("base_solution", row.BaseSolution);
            w.WriteNumber("plan_index", PlanProblem.PlanIndex);
        });
    }

    /// <summary>Serialises rows as one JSON object per line, with '\n' line ends on every platform.</summary>
    public static string ToJsonl<T>(IEnumerable<T> rows, Action<Utf8JsonWriter, T> writeFields)
    {
        using var stream = new MemoryStream();
        foreach (var row in rows)
        {
            using (var writer = new Utf8JsonWriter(stream, _options))
            {
                writer.WriteStartObject();
                writeFields(writer, row);
                writer.WriteEndObject();
            }

            stream.WriteByte((byte)'\n');
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write<T>(string path, IEnumerable<T> rows, Action<Utf8JsonWriter, T> writeFields)
    {
        File.WriteAllText(path, ToJsonl(rows, writeFields));
    }
}

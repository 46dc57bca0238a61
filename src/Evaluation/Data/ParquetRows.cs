using System.Collections;
using System.Globalization;
using Parquet.Serialization;

namespace EvalCluster.Evaluation.Data;

/// <summary>Reads a Parquet file (Hugging Face datasets) into rows; the "line" of a row is its 1-based row number.</summary>
internal static class ParquetRows
{
    public static IReadOnlyList<DatasetRow> Read(string path)
    {
        IList<Dictionary<string, object>> data;
        try
        {
            using var stream = File.OpenRead(path);
            data = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException || ex.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            throw new EvaluationException($"{path}: not a readable Parquet file ({ex.Message.Split('\n')[0]}); convert it with a Parquet writer or use a .jsonl file.", ex);
        }
        var rows = new List<DatasetRow>(data.Count);
        for (var i = 0; i < data.Count; i++)
        {
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            var lists = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var (name, value) in data[i])
            {
                if (value is IEnumerable items and not string)
                {
                    lists[name] = items.Cast<object?>().Select(Text).Where(s => s is not null).Select(s => s!).ToList();
                }
                else
                {
                    fields[name] = Text(value);
                }
            }
            rows.Add(new DatasetRow(i, i + 1, fields, lists));
        }
        return rows;
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

namespace EvalCluster.Evaluation.Data;

/// <summary>
/// One dataset row as text fields (numbers kept as their text) and list fields, with its 1-based line for
/// error messages. JSONL and Parquet readers both produce these.
/// </summary>
public sealed record DatasetRow(int Index, int Line, IReadOnlyDictionary<string, string?> Fields, IReadOnlyDictionary<string, IReadOnlyList<string>> Lists)
{
    public string Required(string path, string field)
    {
        if (!Fields.TryGetValue(field, out var value))
        {
            var hint = Lists.ContainsKey(field) ? "it is a list, map a text field instead" : "add the field or fix the task's fields mapping";
            throw new EvaluationException($"{path}: line {Line}: field {field} is missing; {hint}.");
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new EvaluationException($"{path}: line {Line}: field {field} is empty; give it a value.");
        }
        return value;
    }

    public string? Optional(string field) => Fields.TryGetValue(field, out var value) ? value : null;

    public IReadOnlyList<string>? OptionalList(string path, string field)
    {
        if (Lists.TryGetValue(field, out var list))
        {
            return list;
        }
        if (Fields.TryGetValue(field, out var value) && value is not null)
        {
            throw new EvaluationException($"{path}: line {Line}: field {field} is not a list; choices must be a list of strings.");
        }
        return null;
    }
}

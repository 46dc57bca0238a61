using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalCluster.Evaluation.Runs;

/// <summary>The one JSON style of run folders: snake_case names, nulls omitted, raw Unicode kept readable.</summary>
public static class RunJson
{
    /// <summary>Compact: one object per line (samples.jsonl).</summary>
    public static JsonSerializerOptions Line { get; } = Create(indented: false);

    /// <summary>Indented: manifest.json and summary.json are read by people.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

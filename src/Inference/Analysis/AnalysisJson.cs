using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalCluster.Inference.Analysis;

/// <summary>The JSON style of analysis outputs, matching run folders: snake_case, Infinity/NaN written as named literals.</summary>
internal static class AnalysisJson
{
    public static JsonSerializerOptions Line { get; } = Create(false);

    public static JsonSerializerOptions Indented { get; } = Create(true);

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = indented,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}

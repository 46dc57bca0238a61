using System.Text.Json.Serialization;

namespace EvalCluster.Evaluation.Tests.Data;

/// <summary>A dataset row as a Hugging Face Parquet file stores it (lower-case column names).</summary>
public sealed class ParquetRowForTest
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = "";

    [JsonPropertyName("problem")]
    public string Problem { get; set; } = "";

    [JsonPropertyName("answer")]
    public string Answer { get; set; } = "";

    [JsonPropertyName("subject")]
    public string Subject { get; set; } = "";

    [JsonPropertyName("level")]
    public string Level { get; set; } = "";
}

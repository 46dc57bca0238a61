using System.Text.Json.Serialization;

namespace EvalCluster.Coordinator.Commands;

/// <summary>One output line of the tokenize command.</summary>
internal sealed record TokenizedLine(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("ids")] IReadOnlyList<int> Ids);

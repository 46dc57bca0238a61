using System.Text.Json;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The shared Qwen3 tokenizer files, found beside the repository (../shared next to Cluster.sln).</summary>
internal static class TokenizeTestFiles
{
    public static string QwenFolder => RepoPaths.SharedFile("tokenizers", "qwen3");

    public static string QwenTokenizerJson => Path.Combine(QwenFolder, "tokenizer.json");

    public static string ReferenceEncodings => Path.Combine(QwenFolder, "reference_encodings.jsonl");

    public static IReadOnlyList<(string Text, int[] Ids)> ReferenceRows() => File.ReadLines(ReferenceEncodings)
        .Select(line =>
        {
            using var row = JsonDocument.Parse(line);
            return (row.RootElement.GetProperty("text").GetString()!,
                row.RootElement.GetProperty("ids").EnumerateArray().Select(id => id.GetInt32()).ToArray());
        })
        .ToList();
}

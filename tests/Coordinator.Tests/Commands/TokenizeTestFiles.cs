using System.Runtime.CompilerServices;
using System.Text.Json;

namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>The shared Qwen3 tokenizer files, found beside the repository (../shared next to Cluster.sln).</summary>
internal static class TokenizeTestFiles
{
    public static string QwenFolder => Shared("tokenizers", "qwen3");

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

    private static string Shared(params string[] parts)
    {
        // Above the binaries when they are built in the tree, else above this source file (ArtifactsPath elsewhere).
        foreach (var start in new[] { AppContext.BaseDirectory, SourceDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                {
                    return Path.GetFullPath(Path.Combine([dir.FullName, "..", "shared", .. parts]));
                }
            }
        }

        throw new InvalidOperationException($"no Cluster.sln above {AppContext.BaseDirectory}");
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "/";
}

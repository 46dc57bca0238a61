using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// Everything that affects a run's results: tasks and their file hashes, arms, samples, seeds, sampling,
/// gate, models with file hashes, and software versions. <see cref="ContentHash"/> ignores the run id and
/// creation time, so two runs with the same settings hash alike and a resumed run can check it is the same.
/// </summary>
public sealed record RunManifest
{
    public required string RunId { get; init; }

    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    public IReadOnlyList<string> Tasks { get; init; } = [];

    /// <summary>Task name -> SHA-256 of its task file and dataset file ("task:..., data:...").</summary>
    public IReadOnlyDictionary<string, string> TaskHashes { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Arms { get; init; } = [];

    /// <summary>Samples per problem and arm (the n of mean@n).</summary>
    public int Samples { get; init; } = 1;

    /// <summary>Problems per task (null = all).</summary>
    public int? Limit { get; init; }

    public long Seed { get; init; }

    public double Temperature { get; init; }

    public double TopP { get; init; } = 1.0;

    public int? MaxNewTokens { get; init; }

    public GateSettings? Gate { get; init; }

    public IReadOnlyList<ModelFileInfo> Models { get; init; } = [];

    /// <summary>Component -> version (evalcluster, onnxruntime, dotnet, grader ...).</summary>
    public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>();

    /// <summary>Any other setting that affects results, as text.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Lower-case hex SHA-256 of the canonical JSON of every field except run_id and created_utc.</summary>
    public string ContentHash()
    {
        var node = JsonSerializer.SerializeToNode(this, RunJson.Line)!.AsObject();
        node.Remove("run_id");
        node.Remove("created_utc");
        var canonical = Canonical(node)!.ToJsonString(RunJson.Line);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Lower-case hex SHA-256 of a file's bytes (for model and dataset files).</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    // Dictionary order must not change the hash: sort object keys recursively.
    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray arr => new JsonArray([.. arr.Select(Canonical)]),
        JsonNode other => other.DeepClone(),
        null => null,
    };
}

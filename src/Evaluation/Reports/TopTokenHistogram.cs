using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvalCluster.Evaluation.Reports;

/// <summary>
/// The top-1% position histogram exactly as `analyze` computed it (analysis.json in the run folder): the report
/// draws these counts rather than recomputing them, so the two can never disagree. <c>Definition</c> is the
/// analysis's own wording of which tokens were counted.
/// </summary>
public sealed record TopTokenHistogram(IReadOnlyList<int> Counts, string Definition, string Score, int Tokens, int Responses)
{
    public const string AnalysisFile = "analysis.json";

    public int TopTokens => Counts.Sum();

    /// <summary>The histogram of the folder's analysis.json; null when the folder has none.</summary>
    public static TopTokenHistogram? Read(string folder)
    {
        var path = Path.Combine(folder, AnalysisFile);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new EvaluationException($"{path}: expected a JSON object; rerun `analyze --out` into this folder.");
            var counts = root["top1_percent_position_histogram"]?.AsArray().Select(c => (int)c!).ToArray()
                ?? throw new EvaluationException($"{path}: field top1_percent_position_histogram missing; rerun `analyze` with this version.");
            return new TopTokenHistogram(counts,
                (string?)root["top1_percent_definition"] ?? "the global top 1% of tokens by score, pooled over all analysed responses",
                (string?)root["score"] ?? "score", (int?)root["tokens"] ?? 0, (int?)root["responses"] ?? 0);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new EvaluationException($"{path}: invalid analysis file ({ex.Message.Split('\n')[0]}); rerun `analyze --out` into this folder.", ex);
        }
    }
}

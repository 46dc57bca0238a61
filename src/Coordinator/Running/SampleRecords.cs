using System.Buffers.Binary;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Runs;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Joins what a lane produced (<see cref="GenerationResult"/>) with what the coordinator asked for (its request and
/// the problem's subject and level) into the samples.jsonl line: the one place a result is written.
/// </summary>
public static class SampleRecords
{
    public static SampleKey ToKey(ResultKey key) => new(key.Task, key.ProblemId, key.Sample, key.Arm);

    public static SampleRecord ToRecord(string runId, GenerationRequest request, ProblemInfo problem, GenerationResult r, double queuedS) => new()
    {
        RunId = runId,
        Task = request.Key.Task,
        ProblemId = request.Key.ProblemId,
        Sample = request.Key.Sample,
        Arm = request.Key.Arm,
        Prompt = request.BasePrompt,
        GuidePrompt = request.ChatPrompt,
        Gold = request.Gold,
        Subject = problem.Subject,
        Level = problem.Level,
        Seed = request.Decode.Seed,
        Response = r.Response,
        Extracted = r.Extracted,
        Correct = r.Error is null && r.Correct,
        Truncated = r.Truncated,
        PromptTokens = r.PromptTokens,
        ResponseTokens = r.ResponseTokens,
        Takeovers = r.Takeovers,
        Rho = r.Rho,
        GuideForwardPasses = r.GuideForwardPasses,
        Lane = r.Lane,
        Silo = r.Silo,
        TakeoverPositions = r.TakeoverPositions,
        Timing = new SampleTiming(Math.Round(queuedS, 3), Math.Round(r.FirstTokenS, 3), Math.Round(r.TotalS, 3)),
        Trace = r.Trace is { } t ? new SampleTokenTrace(t.Sources, HalfBase64(t.Scores), t.Ends) : null,
        Error = r.Error,
    };

    /// <summary>Little-endian IEEE float16 per value, base64: 2 bytes a token instead of ~8-20 characters of JSON.</summary>
    public static string HalfBase64(IReadOnlyList<float> values)
    {
        var bytes = new byte[values.Count * 2];
        for (var i = 0; i < values.Count; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
        }
        return Convert.ToBase64String(bytes);
    }
}

/// <summary>What the coordinator knows about a problem and keeps to itself (it never travels to a lane).</summary>
public sealed record ProblemInfo(string? Subject, string? Level)
{
    public static ProblemInfo None { get; } = new(null, null);
}

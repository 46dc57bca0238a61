using System.Text.Json.Serialization;

namespace EvalCluster.Evaluation.Runs;

/// <summary>
/// One line of samples.jsonl: the outcome of one (task, problem, sample, arm). The key fields identify it;
/// recording the same key twice changes nothing (the first line wins when read back).
/// </summary>
public sealed record SampleRecord
{
    public required string RunId { get; init; }

    public required string Task { get; init; }

    public required string ProblemId { get; init; }

    public required int Sample { get; init; }

    public required string Arm { get; init; }

    public string Prompt { get; init; } = "";

    /// <summary>The user message the guide's chat template wrapped; null in runs written before it was stored.</summary>
    public string? GuidePrompt { get; init; }

    public string Response { get; init; } = "";

    /// <summary>The extracted final answer; null when nothing could be extracted.</summary>
    public string? Extracted { get; init; }

    public string Gold { get; init; } = "";

    public bool Correct { get; init; }

    /// <summary>True when generation stopped at the token limit instead of end-of-sequence.</summary>
    public bool Truncated { get; init; }

    public int PromptTokens { get; init; }

    public int ResponseTokens { get; init; }

    public int Takeovers { get; init; }

    /// <summary>Realised budget: takeovers / generated tokens (0 when nothing was generated).</summary>
    public double Rho { get; init; }

    public int GuideForwardPasses { get; init; }

    public string? Subject { get; init; }

    public string? Level { get; init; }

    public long Seed { get; init; }

    /// <summary>The lane that generated it ("silo/lane"); null in runs written before it was stored.</summary>
    public string? Lane { get; init; }

    /// <summary>The silo that generated it.</summary>
    public string? Silo { get; init; }

    /// <summary>0-based response token indices whose token the guide wrote (the takeovers).</summary>
    public IReadOnlyList<int>? TakeoverPositions { get; init; }

    /// <summary>Where the sample's time went; null in runs written before it was stored.</summary>
    public SampleTiming? Timing { get; init; }

    /// <summary>Per-token sources, scores and text ends for the run viewer (only when the run keeps traces).</summary>
    public SampleTokenTrace? Trace { get; init; }

    /// <summary>Why this sample failed without a response (e.g. prompt longer than the model's context); null when it ran.</summary>
    public string? Error { get; init; }

    /// <summary>The identity of this record within a run (derived from the fields above; not written).</summary>
    [JsonIgnore]
    public SampleKey Key => new(Task, ProblemId, Sample, Arm);
}

/// <summary>Seconds a sample spent waiting for a lane slot, until its first response token, and in all.</summary>
public sealed record SampleTiming(double QueuedS, double FirstTokenS, double TotalS);

/// <summary>
/// Compact per-token view of a response: <c>Sources</c> has one character per response token ('b' base, 'g' guide),
/// <c>ScoresF16</c> is base64 of little-endian IEEE float16 disagreement scores, one per token (NaN where the
/// guide was not consulted), and <c>Ends</c> the end offset (in UTF-16 chars) of each token's text in
/// <see cref="SampleRecord.Response"/> (non-decreasing; a token inside a multi-byte character ends where that character ends).
/// </summary>
public sealed record SampleTokenTrace(string Sources, string ScoresF16, IReadOnlyList<int> Ends);

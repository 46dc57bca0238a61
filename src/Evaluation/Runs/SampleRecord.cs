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

    /// <summary>The identity of this record within a run.</summary>
    public SampleKey Key => new(Task, ProblemId, Sample, Arm);
}

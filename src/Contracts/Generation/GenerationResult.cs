using EvalCluster.Contracts.Runs;

namespace EvalCluster.Contracts.Generation;

/// <summary>
/// What a generation produced, and nothing it was given: the coordinator joins it with its own request (prompts,
/// gold, subject, level, seed) into the samples.jsonl line, the run's only store of results.
/// </summary>
[GenerateSerializer, Immutable, Alias("evalcluster.GenerationResult")]
public sealed record GenerationResult
{
    [Id(0)] public required ResultKey Key { get; init; }
    [Id(1)] public string Response { get; init; } = "";
    [Id(2)] public string? Extracted { get; init; }
    [Id(3)] public bool Correct { get; init; }
    [Id(4)] public bool Truncated { get; init; }
    [Id(5)] public int PromptTokens { get; init; }
    [Id(6)] public int ResponseTokens { get; init; }
    [Id(7)] public int Takeovers { get; init; }
    [Id(8)] public double Rho { get; init; }
    [Id(9)] public int GuideForwardPasses { get; init; }
    /// <summary>0-based response token indices whose token the guide wrote.</summary>
    [Id(10)] public ImmutableArray<int> TakeoverPositions { get; init; } = [];
    /// <summary>The lane ("silo/lane") and silo that generated it.</summary>
    [Id(11)] public string Lane { get; init; } = "";
    [Id(12)] public string Silo { get; init; } = "";
    /// <summary>Seconds from the generation's start to its first token, and to its end.</summary>
    [Id(13)] public double FirstTokenS { get; init; }
    [Id(14)] public double TotalS { get; init; }
    /// <summary>Per-token trace when the request asked for it (<see cref="DecodeSettings.TokenTraces"/>); null otherwise.</summary>
    [Id(15)] public TokenTraceData? Trace { get; init; }
    /// <summary>Why the sample failed without a response (its prompt does not fit the model, the model failed on it); null when it ran.</summary>
    [Id(16)] public string? Error { get; init; }
    /// <summary>The response's token ids (EOS included when generated), for token-level comparisons and analysis.</summary>
    [Id(17)] public ImmutableArray<int> Tokens { get; init; } = [];
}

/// <summary>
/// Per-token trace of a response: source ('b' base, 'g' guide) per token, the step's disagreement score (NaN where
/// the guide was not consulted) and the end offset, in UTF-16 chars of the response, of each token's text.
/// </summary>
[GenerateSerializer, Immutable, Alias("evalcluster.TokenTraceData")]
public sealed record TokenTraceData(
    [property: Id(0)] string Sources,
    [property: Id(1)] ImmutableArray<float> Scores,
    [property: Id(2)] ImmutableArray<int> Ends);

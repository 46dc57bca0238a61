namespace EvalCluster.Contracts.Generation;

/// <summary>Sampling, length and gate settings shared by every sample of a run.</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.DecodeSettings")]
public sealed record DecodeSettings
{
    [Id(0)] public long Seed { get; init; }
    [Id(1)] public float Temperature { get; init; }
    [Id(2)] public float TopP { get; init; } = 1f;
    [Id(3)] public int MaxNewTokens { get; init; } = 256;
    /// <summary>Guided arms: calibrated score, tau, lambda and window (values written in the arm text win).</summary>
    [Id(4)] public string? Score { get; init; }
    [Id(5)] public double? Tau { get; init; }
    [Id(6)] public double? Lambda { get; init; }
    [Id(7)] public int? Window { get; init; }
    /// <summary>Hard cap on takeovers per response for arms that take over (null: none; the arm text wins).</summary>
    [Id(8)] public int? Cap { get; init; }
    /// <summary>Return the per-token trace (sources, scores, text ends) with each result (`run --token-traces`).</summary>
    [Id(9)] public bool TokenTraces { get; init; }
    /// <summary>The task's stop strings: generation ends once the decoded response contains one (token-level check).</summary>
    [Id(10)] public ImmutableArray<string> Stop { get; init; } = [];
}

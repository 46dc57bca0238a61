namespace EvalCluster.Contracts.Runs;

/// <summary>The graded outcome of one (task, problem, sample, arm): what the run grain records.</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.SampleResult")]
public sealed record SampleResult
{
    [Id(0)] public required ResultKey Key { get; init; }
    [Id(1)] public string Prompt { get; init; } = "";
    [Id(2)] public string Response { get; init; } = "";
    [Id(3)] public string? Extracted { get; init; }
    [Id(4)] public string Gold { get; init; } = "";
    [Id(5)] public bool Correct { get; init; }
    [Id(6)] public bool Truncated { get; init; }
    [Id(7)] public int PromptTokens { get; init; }
    [Id(8)] public int ResponseTokens { get; init; }
    [Id(9)] public int Takeovers { get; init; }
    [Id(10)] public double Rho { get; init; }
    [Id(11)] public int GuideForwardPasses { get; init; }
    [Id(12)] public string? Subject { get; init; }
    [Id(13)] public string? Level { get; init; }
    [Id(14)] public long Seed { get; init; }
    [Id(15)] public ImmutableArray<int> ResponseTokenIds { get; init; } = [];
    [Id(16)] public string LaneId { get; init; } = "";
    [Id(17)] public ImmutableArray<double> Scores { get; init; } = [];
    /// <summary>The silo that generated it (its lane's silo).</summary>
    [Id(18)] public string Silo { get; init; } = "";
    /// <summary>The user message the guide's chat template wrapped (Prompt is the base's plain prompt).</summary>
    [Id(19)] public string GuidePrompt { get; init; } = "";
}

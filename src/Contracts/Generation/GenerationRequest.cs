using EvalCluster.Contracts.Runs;

namespace EvalCluster.Contracts.Generation;

/// <summary>One (problem, sample, arm) to generate, grade and record, with every setting that shapes it.</summary>
[GenerateSerializer, Immutable, Alias("evalcluster.GenerationRequest")]
public sealed record GenerationRequest
{
    [Id(0)] public required string RunId { get; init; }
    [Id(1)] public required ResultKey Key { get; init; }
    /// <summary>The plain-completion prompt the base model is fed (task template applied, few-shot included).</summary>
    [Id(2)] public required string BasePrompt { get; init; }
    /// <summary>The user message the guide's (and reference's) chat template wraps.</summary>
    [Id(9)] public required string ChatPrompt { get; init; }
    [Id(3)] public string Gold { get; init; } = "";
    [Id(4)] public string? Subject { get; init; }
    [Id(5)] public string? Level { get; init; }
    /// <summary>The arm spec, e.g. "guided", "random@0.1", "base".</summary>
    [Id(6)] public required string ArmSpec { get; init; }
    [Id(7)] public required DecodeSettings Decode { get; init; }
    /// <summary>The task's answer extractors, tried in order.</summary>
    [Id(8)] public ImmutableArray<string> Extractors { get; init; } = [];
    /// <summary>
    /// Tokens the base arm generated for the same (task, problem, sample): an `early@RHO` arm takes k = rho x this.
    /// The coordinator fills it in after the base arm's generations; null when there is none.
    /// </summary>
    [Id(10)] public int? BaseResponseLength { get; init; }
}

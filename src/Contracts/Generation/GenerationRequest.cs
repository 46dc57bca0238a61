using EvalCluster.Contracts.Runs;

namespace EvalCluster.Contracts.Generation;

/// <summary>
/// One (problem, sample, arm) to generate and grade, with every setting that shapes it. Only what the lane needs
/// travels: the coordinator keeps the rest (subject, level) and joins it with the result.
/// </summary>
[GenerateSerializer, Immutable, Alias("evalcluster.GenerationRequest")]
public sealed record GenerationRequest
{
    [Id(0)] public required string RunId { get; init; }
    [Id(1)] public required ResultKey Key { get; init; }
    /// <summary>The plain-completion prompt the base model is fed (task template applied, few-shot included).</summary>
    [Id(2)] public required string BasePrompt { get; init; }
    /// <summary>The user message the guide's (and reference's) chat template wraps.</summary>
    [Id(9)] public required string ChatPrompt { get; init; }
    /// <summary>The gold answer the grain grades against (its completion metric is labelled correct/incorrect).</summary>
    [Id(3)] public string Gold { get; init; } = "";
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

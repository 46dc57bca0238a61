using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Runs;

namespace EvalCluster.Grains.Tests;

/// <summary>Synthetic problems and requests for cluster tests, spread round-robin over lanes.</summary>
public static class TestRuns
{
    public static readonly string[] Arms = ["base", "guide", "guided", "random@0.25"];

    public static DecodeSettings Greedy(int maxNewTokens = 12) => new()
    {
        Seed = 7,
        Temperature = 0,
        MaxNewTokens = maxNewTokens,
        Tau = 2.0,
        Lambda = 1.0,
        Window = 4,
    };

    public static IReadOnlyList<GenerationRequest> Requests(string runId, int problems, IReadOnlyList<string> arms, DecodeSettings decode) =>
        [.. from p in Enumerable.Range(0, problems)
            from arm in arms
            select new GenerationRequest
            {
                RunId = runId,
                Key = new ResultKey("toy", $"p{p}", 0, arm),
                BasePrompt = $"Q: What is {p} + {p % 7}?\nA:",
                ChatPrompt = $"What is {p} + {p % 7}?",
                Gold = (p + (p % 7)).ToString(),
                ArmSpec = arm,
                Decode = decode,
            }];

    public static RunPlan Plan(IEnumerable<GenerationRequest> requests, string manifestHash = "hash-1") =>
        new(manifestHash, "{}", [.. requests.Select(r => r.Key)]);

    /// <summary>Runs every request on lane i mod lanes, all at once, and returns the results in request order.</summary>
    public static Task<SampleResult[]> GenerateAllAsync(IGrainFactory grains, IReadOnlyList<string> lanes, IReadOnlyList<GenerationRequest> requests) =>
        Task.WhenAll(requests.Select((r, i) =>
        {
            var lane = lanes[i % lanes.Count];
            return grains.GetGrain<IGenerationGrain>(LaneKeys.Generation(lane, r.RunId, r.Key)).GenerateAsync(r);
        }));
}

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

    /// <summary>Runs every request on lane i mod lanes, all at once, and returns the results in request order.</summary>
    public static Task<GenerationResult[]> GenerateAllAsync(IGrainFactory grains, IReadOnlyList<string> lanes, IReadOnlyList<GenerationRequest> requests) =>
        Task.WhenAll(requests.Select((r, i) => GenerateAsync(grains, lanes[i % lanes.Count], r)));

    /// <summary>One generation to its end: calls again while the grain answers "still running" (bounded: 10 minutes).</summary>
    public static async Task<GenerationResult> GenerateAsync(IGrainFactory grains, string lane, GenerationRequest request, TimeSpan? pollWait = null)
    {
        var grain = grains.GetGrain<IGenerationGrain>(LaneKeys.Generation(lane, request.RunId, request.Key));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await grain.GenerateAsync(request, pollWait ?? TimeSpan.FromSeconds(5)) is { } result)
            {
                return result;
            }
        }
        throw new TimeoutException($"{request.Key} did not finish in 10 minutes");
    }
}

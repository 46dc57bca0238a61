using System.Collections.Immutable;
using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Metrics;

namespace EvalCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RunGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Marking_keys_complete_twice_changes_nothing()
    {
        var run = fixture.Grains.GetGrain<IRunGrain>("ledger-twice");
        ResultKey a = new("toy", "p0", 0, "base"), b = new("toy", "p1", 0, "base");
        await run.StartAsync(new RunPlan("hash-1", ImmutableDictionary<string, int>.Empty.Add("toy", 3)));

        await run.CompleteAsync([a, b], correct: 1);
        await run.CompleteAsync([a, b], correct: 1);

        Assert.Equal(new RunProgress(3, 2, 1), await run.GetProgressAsync());
    }

    [Fact]
    public async Task A_different_manifest_under_an_existing_run_id_is_refused()
    {
        var run = fixture.Grains.GetGrain<IRunGrain>("ledger-manifest");
        await run.StartAsync(new RunPlan("aaaaaaaaaaaaaaaa", ImmutableDictionary<string, int>.Empty.Add("toy", 1)));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => run.StartAsync(new RunPlan("bbbbbbbbbbbbbbbb", ImmutableDictionary<string, int>.Empty.Add("toy", 1))));

        Assert.Contains("already exists with different settings", ex.Message);
    }

    [Fact]
    public async Task Calling_again_for_a_running_key_joins_its_generation_instead_of_starting_another()
    {
        using var metrics = new MetricCapture();
        var request = TestRuns.Requests("run-join", 1, ["guided"], TestRuns.Greedy(12))[0];
        request = request with { Key = request.Key with { Task = "join-toy" } };
        var grain = fixture.Grains.GetGrain<Contracts.Generation.IGenerationGrain>(Contracts.Lanes.LaneKeys.Generation(fixture.Lanes[0], request.RunId, request.Key));

        // Three callers at once, each bounded to 1 ms: the first starts the generation, the others join it.
        var early = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => grain.GenerateAsync(request, TimeSpan.FromMilliseconds(1))));
        var result = await TestRuns.GenerateAsync(fixture.Grains, fixture.Lanes[0], request);

        Assert.Contains(early, r => r is null);
        Assert.Equal(request.Key, result.Key);
        var completed = metrics.Values(ClusterInstruments.ProblemsCompleted)
            .Count(v => v.Tags.Any(t => t.Key == "task" && (string?)t.Value == "join-toy") && v.Tags.Any(t => t.Key == "arm" && (string?)t.Value == "guided"));
        Assert.Equal(1, completed);
    }
}

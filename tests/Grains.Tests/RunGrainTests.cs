using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Metrics;

namespace EvalCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RunGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Recording_a_result_twice_changes_nothing()
    {
        var run = fixture.Grains.GetGrain<IRunGrain>("run-twice");
        var key = new ResultKey("toy", "p0", 0, "base");
        await run.StartAsync(new RunPlan("hash-1", "{}", [key]));

        Assert.True(await run.RecordAsync(new SampleResult { Key = key, Correct = true, Response = "first" }));
        Assert.False(await run.RecordAsync(new SampleResult { Key = key, Correct = false, Response = "second" }));

        Assert.Equal(new RunProgress(1, 1, 1), await run.GetProgressAsync());
        Assert.Equal("first", Assert.Single(await run.GetResultsAsync()).Response);
    }

    [Fact]
    public async Task A_different_manifest_under_an_existing_run_id_is_refused()
    {
        var run = fixture.Grains.GetGrain<IRunGrain>("run-manifest");
        await run.StartAsync(new RunPlan("aaaaaaaaaaaaaaaa", "{}", [new ResultKey("toy", "p0", 0, "base")]));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => run.StartAsync(new RunPlan("bbbbbbbbbbbbbbbb", "{}", [])));

        Assert.Contains("already exists with different settings", ex.Message);
    }

    [Fact]
    public async Task A_run_aborted_midway_resumes_without_regenerating_finished_keys()
    {
        using var metrics = new MetricCapture();
        var requests = TestRuns.Requests("run-resume", 4, ["base", "guided"], TestRuns.Greedy(8));
        var run = fixture.Grains.GetGrain<IRunGrain>("run-resume");
        var pending = await run.StartAsync(TestRuns.Plan(requests));
        Assert.Equal(8, pending.Length);
        await TestRuns.GenerateAllAsync(fixture.Grains, fixture.Lanes, requests.Take(3).ToList());

        var resumed = await run.StartAsync(TestRuns.Plan(requests));
        Assert.Equal(requests.Skip(3).Select(r => r.Key), resumed);
        await TestRuns.GenerateAllAsync(fixture.Grains, fixture.Lanes, requests.Where(r => resumed.Contains(r.Key)).ToList());

        Assert.True((await run.GetProgressAsync()).IsComplete);
        var generated = metrics.Values(ClusterInstruments.ProblemsCompleted)
            .Count(v => v.Tags.Any(t => t.Key == "task" && (string?)t.Value == "toy"));
        Assert.Equal(8, generated);
        Assert.Empty(await run.StartAsync(TestRuns.Plan(requests)));
    }
}

using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Runs;
using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Runs a planned run on a cluster: registers it in the run grain, reconciles the grain with the run folder
/// (either may hold results the other lacks after a crash), then sends every missing key to a generation
/// grain on a lane (round robin, bounded in flight per lane) and appends each result to samples.jsonl.
/// Cancelling stops sending, lets nothing half-written remain, and a later resume finishes the run.
/// </summary>
public sealed class RunDriver(ClusterSession cluster, RunInputs inputs, RunFolder folder, IRunObserver observer, int maxInFlightPerLane)
{
    private readonly string _runId = inputs.Manifest.RunId;
    private int _next;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var run = cluster.Grains.GetGrain<IRunGrain>(_runId);
        var grainPending = (await run.StartAsync(inputs.Plan)).ToHashSet();
        var inFolder = folder.CompletedKeys();
        foreach (var result in await run.GetResultsAsync())
        {
            if (!inFolder.Contains(SampleRecords.ToKey(result.Key)))
            {
                folder.Append(SampleRecords.ToRecord(_runId, result));
            }
        }
        var records = folder.ReadSamples();
        foreach (var record in records.Where(r => grainPending.Contains(SampleRecords.ToResult(r).Key)))
        {
            await run.RecordAsync(SampleRecords.ToResult(record));
        }
        var done = records.Select(r => r.Key).ToHashSet();
        observer.Start(inputs.Requests.GroupBy(r => r.Key.Arm).ToDictionary(g => g.Key, g => g.Count()), records);
        var todo = inputs.Requests.Where(r => !done.Contains(SampleRecords.ToKey(r.Key))).ToList();
        // Base first: early@RHO arms wait for the base's response lengths, so those results are wanted soonest.
        await DispatchAsync([.. todo.Where(r => !DeferredArms.IsDeferred(r.Key.Arm)).OrderBy(r => r.Key.Arm == DeferredArms.BaseArm ? 0 : 1)], cancellationToken);
        var deferred = todo.Where(r => DeferredArms.IsDeferred(r.Key.Arm)).ToList();
        if (deferred.Count > 0)
        {
            await DispatchAsync(DeferredArms.Complete(deferred, inputs.Manifest.Arms, folder.ReadSamples()), cancellationToken);
        }
    }

    private async Task DispatchAsync(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, cluster.Lanes.Count * maxInFlightPerLane));
        var running = new List<Task>();
        foreach (var request in requests)
        {
            await slots.WaitAsync(cancellationToken);
            var lane = cluster.Lanes[_next++ % cluster.Lanes.Count];
            running.Add(RunOneAsync(lane, request, slots, cancellationToken));
        }
        await Task.WhenAll(running);
    }

    private async Task RunOneAsync(LaneInfo lane, GenerationRequest request, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            var grain = cluster.Grains.GetGrain<IGenerationGrain>(LaneKeys.Generation(lane.LaneId, _runId, request.Key));
            var result = await grain.GenerateAsync(request, cancellationToken);
            var record = SampleRecords.ToRecord(_runId, result);
            folder.Append(record);
            observer.OnResult(record);
        }
        finally
        {
            slots.Release();
        }
    }
}

using System.Collections.Immutable;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Runs;
using EvalCluster.Evaluation.Runs;
using Orleans.Runtime;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Runs a planned run on a cluster. The run folder's samples.jsonl is the one owner of results: the driver sends
/// every key it lacks to the lanes (<see cref="LaneDispatcher"/>, which re-dispatches keys of lost lanes), joins
/// each result with its request and appends the line. The run grain is only a ledger (manifest guard across
/// coordinators, per-key completion, progress), updated in batches and never on the result's path.
/// Cancelling stops sending; what finished is in samples.jsonl and a later resume finishes the run.
/// </summary>
public sealed class RunDriver(ClusterSession cluster, RunInputs inputs, RunFolder folder, IRunObserver observer, int maxInFlightPerLane,
    DispatchOptions? dispatch = null)
{
    private const int LedgerBatch = 32;
    private readonly string _runId = inputs.Manifest.RunId;
    private readonly List<(ResultKey Key, bool Correct)> _ledger = [];

    /// <summary>Keys sent again after their lane was lost, over the whole run.</summary>
    public int Redispatched { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var run = cluster.Grains.GetGrain<IRunGrain>(_runId);
        await run.StartAsync(new RunPlan(inputs.ManifestHash,
            inputs.Requests.GroupBy(r => r.Key.Task).ToImmutableDictionary(g => g.Key, g => g.Count())));
        var records = folder.ReadSamples();
        var done = records.Select(r => r.Key).ToHashSet();
        observer.Start(inputs.Requests.GroupBy(r => r.Key.Arm).ToDictionary(g => g.Key, g => g.Count()), records);
        _ledger.AddRange(records.Select(r => (new ResultKey(r.Task, r.ProblemId, r.Sample, r.Arm), r.Correct)));
        var todo = inputs.Requests.Where(r => !done.Contains(SampleRecords.ToKey(r.Key))).ToList();
        try
        {
            // Arms are interleaved in request order (problem, sample, arm): a lost lane loses a few keys of every arm, never one arm.
            await DispatchAsync([.. todo.Where(r => !DeferredArms.IsDeferred(r.Key.Arm))], cancellationToken);
            var deferred = todo.Where(r => DeferredArms.IsDeferred(r.Key.Arm)).ToList();
            if (deferred.Count > 0)
            {
                await DispatchAsync(DeferredArms.Complete(deferred, inputs.Manifest.Arms, folder.ReadSamples()), cancellationToken);
            }
        }
        finally
        {
            await FlushLedgerAsync(run, force: true);
        }
    }

    private async Task DispatchAsync(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken)
    {
        var dispatcher = new LaneDispatcher(cluster, _runId, maxInFlightPerLane, dispatch ?? new DispatchOptions(), observer);
        try
        {
            await dispatcher.RunAsync(requests, (request, result, queued) =>
            {
                var record = SampleRecords.ToRecord(_runId, request, inputs.Problem(request.Key), result, queued);
                folder.Append(record);
                observer.OnResult(record);
                lock (_ledger)
                {
                    _ledger.Add((request.Key, record.Correct));
                }
                _ = FlushLedgerAsync(cluster.Grains.GetGrain<IRunGrain>(_runId), force: false);
            }, cancellationToken);
        }
        finally
        {
            Redispatched += dispatcher.Redispatched;
        }
    }

    // Best effort: the ledger's silo may be the one that just died; what is not recorded now goes with the next batch.
    private async Task FlushLedgerAsync(IRunGrain run, bool force)
    {
        (ResultKey Key, bool Correct)[] batch;
        lock (_ledger)
        {
            if (_ledger.Count == 0 || (!force && _ledger.Count < LedgerBatch))
            {
                return;
            }
            batch = [.. _ledger];
            _ledger.Clear();
        }
        try
        {
            await run.CompleteAsync([.. batch.Select(b => b.Key)], batch.Count(b => b.Correct)).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            lock (_ledger)
            {
                _ledger.AddRange(batch);
            }
        }
    }
}

using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Metrics;

namespace EvalCluster.Grains.Runs;

/// <summary>
/// One run's ledger: checks the manifest on (re)start, marks keys complete once, persists after each batch.
/// Not reentrant: batches apply one at a time. Results live in the coordinator's samples.jsonl, not here.
/// </summary>
internal sealed class RunGrain([PersistentState("run", StorageNames.Runs)] IPersistentState<RunState> state,
    ClusterInstruments instruments) : Grain, IRunGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.ManifestHash.Length > 0)
        {
            instruments.RunStarted(this.GetPrimaryKeyString(), state.State.ExpectedPerTask, state.State.Completed);
        }
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        instruments.RunClosed(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task StartAsync(RunPlan plan)
    {
        var s = state.State;
        if (s.ManifestHash.Length > 0 && s.ManifestHash != plan.ManifestHash)
        {
            throw new ArgumentException($"run '{this.GetPrimaryKeyString()}' already exists with different settings (manifest {s.ManifestHash[..Math.Min(12, s.ManifestHash.Length)]}, now {plan.ManifestHash[..Math.Min(12, plan.ManifestHash.Length)]}); choose a new --run-id or repeat the original settings.");
        }
        s.ManifestHash = plan.ManifestHash;
        s.ExpectedPerTask = new(plan.ExpectedPerTask);
        await state.WriteStateAsync();
        instruments.RunStarted(this.GetPrimaryKeyString(), s.ExpectedPerTask, s.Completed);
    }

    public async Task CompleteAsync(ImmutableArray<ResultKey> keys, int correct)
    {
        var added = 0;
        foreach (var key in keys.Where(state.State.Completed.Add))
        {
            added++;
            instruments.SampleRecorded(this.GetPrimaryKeyString(), key);
        }
        if (added == 0)
        {
            return;
        }
        // A batch is recorded whole or not at all; a repeated batch (a retried call) adds nothing and keeps the count.
        state.State.Correct += added == keys.Length ? correct : 0;
        await state.WriteStateAsync();
    }

    public Task<RunProgress> GetProgressAsync() =>
        Task.FromResult(new RunProgress(state.State.ExpectedPerTask.Values.Sum(), state.State.Completed.Count, state.State.Correct));
}

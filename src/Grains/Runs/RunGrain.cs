using EvalCluster.Contracts.Runs;
using EvalCluster.Grains.Metrics;

namespace EvalCluster.Grains.Runs;

/// <summary>
/// One run: checks the manifest on (re)start, records each result once, persists after every new result so
/// a crashed run resumes where it stopped, and answers progress. Not reentrant: records apply one at a time.
/// </summary>
internal sealed class RunGrain([PersistentState("run", StorageNames.Runs)] IPersistentState<RunState> state,
    ClusterInstruments instruments) : Grain, IRunGrain
{
    private HashSet<ResultKey> _recorded = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _recorded = [.. state.State.Results.Select(r => r.Key)];
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        instruments.RunClosed(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<ImmutableArray<ResultKey>> StartAsync(RunPlan plan)
    {
        var s = state.State;
        if (s.ManifestHash.Length > 0 && s.ManifestHash != plan.ManifestHash)
        {
            throw new ArgumentException($"run '{this.GetPrimaryKeyString()}' already exists with different settings (manifest {s.ManifestHash[..12]}, now {plan.ManifestHash[..Math.Min(12, plan.ManifestHash.Length)]}); choose a new --run-id or repeat the original settings.");
        }
        if (s.ManifestHash.Length == 0)
        {
            s.ManifestHash = plan.ManifestHash;
            s.ManifestJson = plan.ManifestJson;
        }
        // The same manifest may still expect more keys (e.g. a raised --limit is a new manifest; this only merges).
        var expected = s.Expected.ToHashSet();
        s.Expected.AddRange(plan.ExpectedKeys.Where(expected.Add));
        await state.WriteStateAsync();
        instruments.RunStarted(this.GetPrimaryKeyString(), s.Expected, s.Results.Select(r => r.Key));
        return [.. plan.ExpectedKeys.Where(k => !_recorded.Contains(k))];
    }

    public async Task<bool> RecordAsync(SampleResult result)
    {
        if (!_recorded.Add(result.Key))
        {
            return false;
        }
        state.State.Results.Add(result);
        await state.WriteStateAsync();
        instruments.SampleRecorded(this.GetPrimaryKeyString(), result.Key);
        return true;
    }

    public Task<RunProgress> GetProgressAsync() => Task.FromResult(new RunProgress(
        state.State.Expected.Count, state.State.Results.Count, state.State.Results.Count(r => r.Correct)));

    public Task<ImmutableArray<SampleResult>> GetResultsAsync() => Task.FromResult(state.State.Results.ToImmutableArray());
}

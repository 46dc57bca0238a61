namespace EvalCluster.Contracts.Runs;

/// <summary>
/// One run (key: run id): its manifest hash, expected keys and recorded results, persisted in grain storage.
/// Recording a key twice changes nothing; restarting a run with the same manifest resumes it, a different
/// manifest under the same id is refused.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Creates or resumes the run; returns the expected keys that have no result yet.</summary>
    Task<ImmutableArray<ResultKey>> StartAsync(RunPlan plan);

    /// <summary>Records a result; returns false (and changes nothing) when the key was already recorded.</summary>
    Task<bool> RecordAsync(SampleResult result);

    Task<RunProgress> GetProgressAsync();

    /// <summary>Every recorded result, in recording order.</summary>
    Task<ImmutableArray<SampleResult>> GetResultsAsync();
}

namespace EvalCluster.Contracts.Runs;

/// <summary>
/// One run's ledger in the cluster (key: run id), persisted in grain storage (Redis in a fleet): the manifest hash
/// and which keys are complete. Results themselves have one owner, the run folder's samples.jsonl; the ledger
/// refuses a second manifest under the same id from any coordinator, on any machine, and answers progress.
/// </summary>
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Creates or resumes the run; a different manifest under the same id is refused (ArgumentException).</summary>
    Task StartAsync(RunPlan plan);

    /// <summary>Marks keys complete (the coordinator has written their lines); marking a key twice changes nothing.</summary>
    Task CompleteAsync(ImmutableArray<ResultKey> keys, int correct);

    Task<RunProgress> GetProgressAsync();
}

using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Running;

/// <summary>Receives a run's progress: the expected count per arm, the records already there, then each new one and each lane lost.</summary>
public interface IRunObserver
{
    void Start(IReadOnlyDictionary<string, int> expectedPerArm, IReadOnlyList<SampleRecord> existing);

    void OnResult(SampleRecord record);

    /// <summary>A lane left the run (its silo died or stopped answering); its in-flight keys went back to the queue.</summary>
    void OnLaneLost(string lane, string reason) => Console.Error.WriteLine($"lane {lane} lost ({reason}); its keys run elsewhere");
}

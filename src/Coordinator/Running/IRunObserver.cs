using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Running;

/// <summary>Receives a run's progress: the expected count per arm, the records already there, then each new one.</summary>
public interface IRunObserver
{
    void Start(IReadOnlyDictionary<string, int> expectedPerArm, IReadOnlyList<SampleRecord> existing);

    void OnResult(SampleRecord record);
}

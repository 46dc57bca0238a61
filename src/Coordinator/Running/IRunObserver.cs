using EvalCluster.Evaluation.Runs;

namespace EvalCluster.Coordinator.Running;

/// <summary>Receives a run's progress: the expected count per arm, the records already there, then each new one, each lane lost or joined and each key that failed on a live lane.</summary>
public interface IRunObserver
{
    void Start(IReadOnlyDictionary<string, int> expectedPerArm, IReadOnlyList<SampleRecord> existing);

    void OnResult(SampleRecord record);

    /// <summary>A lane left the run (its silo died or stopped answering); its in-flight keys went back to the queue.</summary>
    void OnLaneLost(string lane, string reason) => Console.Error.WriteLine($"lane {lane} lost ({reason}); its keys run elsewhere");

    /// <summary>A lane joined after the run started (a silo that started, or restarted under its name); it gets workers at once.</summary>
    void OnLaneJoined(string lane, string silo, int workers) => Console.Error.WriteLine($"lane {lane} joined the run ({silo}, {workers} in flight)");

    /// <summary>A live lane answered a key with an error; the key went back to the queue (<paramref name="attempt"/> of the run's limit).</summary>
    void OnKeyFailed(string key, string lane, string reason, int attempt, int limit) =>
        Console.Error.WriteLine($"key {key} failed on lane {lane} ({reason}); attempt {attempt} of {limit}, sent again");
}

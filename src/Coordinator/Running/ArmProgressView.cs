using EvalCluster.Evaluation.Runs;
using Spectre.Console;

namespace EvalCluster.Coordinator.Running;

/// <summary>One Spectre.Console progress bar per arm, its label showing the arm's running accuracy.</summary>
public sealed class ArmProgressView(ProgressContext context) : IRunObserver
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (ProgressTask Bar, int Done, int Correct)> _arms = [];

    public void Start(IReadOnlyDictionary<string, int> expectedPerArm, IReadOnlyList<SampleRecord> existing)
    {
        lock (_gate)
        {
            foreach (var (arm, expected) in expectedPerArm)
            {
                _arms[arm] = (context.AddTask(arm, maxValue: expected), 0, 0);
            }
            foreach (var record in existing)
            {
                Count(record);
            }
        }
    }

    public void OnResult(SampleRecord record)
    {
        lock (_gate)
        {
            Count(record);
        }
    }

    private void Count(SampleRecord record)
    {
        if (!_arms.TryGetValue(record.Arm, out var arm))
        {
            return;
        }
        arm = (arm.Bar, arm.Done + 1, arm.Correct + (record.Correct ? 1 : 0));
        _arms[record.Arm] = arm;
        arm.Bar.Increment(1);
        arm.Bar.Description = $"{Markup.Escape(record.Arm),-12} acc {(double)arm.Correct / arm.Done:0.000}";
    }
}

using EvalCluster.Contracts.Generation;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Fills in the arms that run after the others (the rules of which arms those are live in <see cref="ArmSpec"/> and
/// <see cref="ArmPlan"/>): a matched arm takes the mean realised rho of its guided arm in the same task, and an early
/// arm sized by rho takes k = rho x the base arm's response length for the same (task, problem, sample).
/// </summary>
public static class DeferredArms
{
    public const string BaseArm = "base";

    /// <summary>Whether the arm waits for the first phase (guided and base results).</summary>
    public static bool IsDeferred(string arm) => ArmSpec.Parse(arm).IsDeferred;

    /// <summary>The deferred requests with their matched rho and base response length filled in.</summary>
    public static IReadOnlyList<GenerationRequest> Complete(IReadOnlyList<GenerationRequest> deferred, IReadOnlyList<string> arms,
        IReadOnlyList<SampleRecord> done)
    {
        var plan = ArmPlan.Create(arms);
        var baseLengths = done.Where(r => r.Arm == BaseArm).ToDictionary(r => (r.Task, r.ProblemId, r.Sample), r => r.ResponseTokens);
        return [.. deferred.Select(r =>
        {
            var arm = plan[r.Key.Arm];
            var spec = arm.Matched
                ? (arm with { Matched = false, Rho = MatchedRho(done, arm.MatchedTo!, r.Key.Task) }).ToResolvedText()
                : r.ArmSpec;
            var length = arm.NeedsBaseLength && baseLengths.TryGetValue((r.Key.Task, r.Key.ProblemId, r.Key.Sample), out var n) ? n : (int?)null;
            return r with { ArmSpec = spec, BaseResponseLength = length };
        })];
    }

    // Clamped into the random and early arms' valid range.
    private static double MatchedRho(IReadOnlyList<SampleRecord> done, string guided, string task)
    {
        var rhos = done.Where(r => r.Task == task && r.Arm == guided).Select(r => r.Rho).ToList();
        return Math.Clamp(rhos.Count == 0 ? 0 : rhos.Average(), 1e-6, 1.0);
    }
}

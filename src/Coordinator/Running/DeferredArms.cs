using EvalCluster.Contracts.Generation;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Inference.Gates;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Arms that run after the others because they depend on other arms' results: bare `random` and `early` take
/// the guided arm's mean realised rho of the same task, and `early@RHO` takes k = rho x the base arm's response
/// length for the same (task, problem, sample). <see cref="Complete"/> fills those in from the finished samples.
/// </summary>
public static class DeferredArms
{
    public const string BaseArm = "base";

    /// <summary>Whether the arm waits for the first phase (guided and base results).</summary>
    public static bool IsDeferred(string arm) => RunInputs.IsMatched(arm) || NeedsBaseLength(arm);

    /// <summary>An early arm sized by rho (bare early, or early@RHO): it reads the base's response length.</summary>
    public static bool NeedsBaseLength(string arm) =>
        arm == "early" || (!RunInputs.IsMatched(arm) && ArmSpec.Parse(arm) is { Kind: ArmKind.Early, Rho: > 0 });

    /// <summary>One line when an arm needs another arm the list lacks; null when the list is complete.</summary>
    public static string? Missing(IReadOnlyList<string> arms)
    {
        var guided = arms.Any(a => !RunInputs.IsMatched(a) && ArmSpec.Parse(a).Kind == ArmKind.Guided);
        if (arms.FirstOrDefault(RunInputs.IsMatched) is { } matched && !guided)
        {
            return $"arm '{matched}' without a rho takes the guided arm's realised rho; add guided to --arms or write {matched}@0.05.";
        }
        var early = arms.FirstOrDefault(a => NeedsBaseLength(a) && !(a != "early" && ArmSpec.Parse(a).EarlyTokens is not null));
        return early is not null && !arms.Contains(BaseArm)
            ? $"arm '{early}' takes k = rho x the base arm's response length; add base to --arms or give k (early@k=10)."
            : null;
    }

    /// <summary>The deferred requests with their matched rho and base response length filled in.</summary>
    public static IReadOnlyList<GenerationRequest> Complete(IReadOnlyList<GenerationRequest> deferred, IReadOnlyList<string> arms,
        IReadOnlyList<SampleRecord> done)
    {
        var baseLengths = done.Where(r => r.Arm == BaseArm).ToDictionary(r => (r.Task, r.ProblemId, r.Sample), r => r.ResponseTokens);
        var guided = arms.FirstOrDefault(a => !RunInputs.IsMatched(a) && ArmSpec.Parse(a).Kind == ArmKind.Guided);
        return [.. deferred.Select(r =>
        {
            var spec = RunInputs.IsMatched(r.Key.Arm) ? $"{r.Key.Arm}@{MatchedRho(done, guided, r.Key.Task):0.######}" : r.ArmSpec;
            var length = NeedsBaseLength(r.Key.Arm) && baseLengths.TryGetValue((r.Key.Task, r.Key.ProblemId, r.Key.Sample), out var n) ? n : (int?)null;
            return r with { ArmSpec = spec, BaseResponseLength = length };
        })];
    }

    // Clamped into the random and early arms' valid range.
    private static double MatchedRho(IReadOnlyList<SampleRecord> done, string? guided, string task)
    {
        var rhos = done.Where(r => r.Task == task && r.Arm == guided).Select(r => r.Rho).ToList();
        return Math.Clamp(rhos.Count == 0 ? 0 : rhos.Average(), 1e-6, 1.0);
    }
}

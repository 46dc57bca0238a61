namespace EvalCluster.Inference.Gates;

/// <summary>Builds the gate of one sequence from its arm (one gate instance per sequence: gates keep state).</summary>
public static class GateFactory
{
    /// <param name="spec">The arm.</param>
    /// <param name="seed">Seed of the random arm's position stream (derive it per problem and sample).</param>
    /// <param name="baseResponseLength">Early arm with rho: the base's response length for the same problem and sample.</param>
    public static IGate Create(ArmSpec spec, ulong seed, int? baseResponseLength = null) => spec.Kind switch
    {
        ArmKind.Base => new BaseGate(),
        ArmKind.Guide or ArmKind.Reference => new GuideGate(),
        ArmKind.Guided => new GuidedGate(
            spec.Tau ?? throw Missing(spec, "tau"),
            spec.Lambda ?? throw Missing(spec, "lambda"),
            spec.Window ?? throw Missing(spec, "w"),
            spec.PrefilterEntropy),
        ArmKind.Random => new RandomGate(spec.Rho, seed),
        ArmKind.Early => new EarlyGate(EarlyTokens(spec, baseResponseLength)),
        ArmKind.Entropy => new EntropyGate(spec.EntropyThreshold),
        ArmKind.Nudging => new NudgingGate(spec.Gamma),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    // The rule: k = rho x the base's response length for the same problem and sample when both are known,
    // else the given k (early@0.25,k=10 falls back to 10 when the base arm did not run).
    private static int EarlyTokens(ArmSpec spec, int? baseResponseLength)
    {
        if (spec.Rho > 0 && baseResponseLength is { } length)
        {
            return (int)Math.Round(spec.Rho * length, MidpointRounding.AwayFromZero);
        }
        if (spec.EarlyTokens is { } k)
        {
            return k;
        }
        throw new InferenceException($"arm '{spec.Name}' needs the base response length of the same problem and sample (run the base arm too) or an explicit k (early@k=10).");
    }

    private static InferenceException Missing(ArmSpec spec, string key) =>
        new($"arm '{spec.Name}' has no {key}; pass a calibration file (calibrate command) or write guided@{key}=...");
}

using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Gates;

/// <summary>
/// Shared base of the gates that decide before seeing the guide (base, guide, random, early, entropy, nudging):
/// they never need a score, so the guide is consulted only at the steps where it speaks.
/// </summary>
public abstract class FixedPlanGate : IGate
{
    public virtual ArmModels Models => ArmModels.Both;

    public virtual bool UsesBaseFeatures => false;

    public abstract GatePlan Plan(in BaseFeatures features);

    public bool Decide(int position, double score) =>
        throw new InvalidOperationException($"{GetType().Name} plans without a score; Decide must not be called.");

    public void Observe(int position, double score)
    {
    }
}

/// <summary>The `base` arm: the base model alone; the guide is never needed.</summary>
public sealed class BaseGate : FixedPlanGate
{
    public override ArmModels Models => ArmModels.Base;

    public override GatePlan Plan(in BaseFeatures features) => GatePlan.Base;
}

/// <summary>The `guide` arm: the guide alone; the base is never stepped.</summary>
public sealed class GuideGate : FixedPlanGate
{
    public override ArmModels Models => ArmModels.Guide;

    public override GatePlan Plan(in BaseFeatures features) => GatePlan.Guide;
}

/// <summary>The `early` arm: the first k tokens come from the guide, the rest from the base.</summary>
public sealed class EarlyGate(int tokens) : FixedPlanGate
{
    public int Tokens { get; } = tokens;

    public override GatePlan Plan(in BaseFeatures features) =>
        features.Position < Tokens ? GatePlan.Guide : GatePlan.Base;
}

/// <summary>
/// The `random` arm: each position is taken over independently with probability rho, from its own seeded
/// stream (so the positions do not depend on how many random numbers sampling consumed).
/// </summary>
public sealed class RandomGate(double rho, ulong seed) : FixedPlanGate
{
    private readonly SplitMix64 _random = new(seed);

    public double Rho { get; } = rho;

    public override GatePlan Plan(in BaseFeatures features) =>
        _random.NextDouble() < Rho ? GatePlan.Guide : GatePlan.Base;
}

/// <summary>The `entropy` arm: the guide speaks iff the base entropy H_b exceeds tau_H (no guide needed to decide).</summary>
public sealed class EntropyGate(double threshold) : FixedPlanGate
{
    public double Threshold { get; } = threshold;

    public override bool UsesBaseFeatures => true;

    public override GatePlan Plan(in BaseFeatures features) =>
        features.Entropy > Threshold ? GatePlan.Guide : GatePlan.Base;
}

/// <summary>The `nudging` arm: the guide speaks while the base's top-1 probability is below gamma.</summary>
public sealed class NudgingGate(double gamma) : FixedPlanGate
{
    public double Gamma { get; } = gamma;

    public override bool UsesBaseFeatures => true;

    public override GatePlan Plan(in BaseFeatures features) =>
        features.Top1Probability < Gamma ? GatePlan.Guide : GatePlan.Base;
}

namespace EvalCluster.Inference.Gates;

/// <summary>The `entropy` arm: the guide speaks iff the base entropy H_b exceeds tau_H (no guide needed to decide).</summary>
public sealed class EntropyGate(double threshold) : FixedPlanGate
{
    public double Threshold { get; } = threshold;

    public override bool UsesBaseFeatures => true;

    public override GatePlan Plan(in BaseFeatures features) =>
        features.Entropy > Threshold ? GatePlan.Guide : GatePlan.Base;
}

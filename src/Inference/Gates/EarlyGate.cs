namespace EvalCluster.Inference.Gates;

/// <summary>The `early` arm: the first k tokens come from the guide, the rest from the base.</summary>
public sealed class EarlyGate(int tokens) : FixedPlanGate
{
    public int Tokens { get; } = tokens;

    public override GatePlan Plan(in BaseFeatures features) =>
        features.Position < Tokens ? GatePlan.Guide : GatePlan.Base;
}

namespace EvalCluster.Inference.Gates;

/// <summary>The `nudging` arm: the guide speaks while the base's top-1 probability is below gamma.</summary>
public sealed class NudgingGate(double gamma) : FixedPlanGate
{
    public double Gamma { get; } = gamma;

    public override bool UsesBaseFeatures => true;

    public override GatePlan Plan(in BaseFeatures features) =>
        features.Top1Probability < Gamma ? GatePlan.Guide : GatePlan.Base;
}

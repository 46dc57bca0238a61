namespace EvalCluster.Inference.Gates;

/// <summary>The `guide` arm: the guide alone; the base is never stepped.</summary>
public sealed class GuideGate : FixedPlanGate
{
    public override ArmModels Models => ArmModels.Guide;

    public override GatePlan Plan(in BaseFeatures features) => GatePlan.Guide;
}

namespace EvalCluster.Inference.Gates;

/// <summary>The `base` arm: the base model alone; the guide is never needed.</summary>
public sealed class BaseGate : FixedPlanGate
{
    public override ArmModels Models => ArmModels.Base;

    public override GatePlan Plan(in BaseFeatures features) => GatePlan.Base;
}

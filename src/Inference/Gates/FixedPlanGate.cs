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

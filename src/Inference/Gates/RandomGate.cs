using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Gates;

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

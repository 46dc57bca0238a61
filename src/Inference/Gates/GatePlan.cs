namespace EvalCluster.Inference.Gates;

/// <summary>
/// What a gate knows before the guide is consulted: the base token stands (<see cref="Base"/>), the guide
/// speaks (<see cref="Guide"/>), or the decision needs the divergence score and so the guide (<see cref="Score"/>).
/// </summary>
public enum GatePlan
{
    Base,
    Guide,
    Score,
}

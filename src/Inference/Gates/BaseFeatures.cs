namespace EvalCluster.Inference.Gates;

/// <summary>
/// What the base distribution says at one step, known without the guide: entropy H_b and top-1 probability
/// (both NaN for arms that never step the base).
/// </summary>
public readonly record struct BaseFeatures(int Position, double Entropy, double Top1Probability);

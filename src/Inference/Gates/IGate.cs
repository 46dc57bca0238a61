namespace EvalCluster.Inference.Gates;

/// <summary>
/// Decides, step by step, whether the guide emits the next token. The caller runs, per step:
/// <see cref="Plan"/>, then (only when it returned <see cref="GatePlan.Score"/>) <see cref="Decide"/>, then
/// always <see cref="Observe"/> with the step's score (NaN when it was not computed). Gates keep per-response
/// state, so use one instance per sequence.
/// </summary>
public interface IGate
{
    /// <summary>The models this arm needs stepped.</summary>
    ArmModels Models { get; }

    /// <summary>
    /// Whether <see cref="Plan"/> reads the base features (H_b, top-1 probability). When false the caller may pass
    /// NaN features and save a pass over the vocabulary.
    /// </summary>
    bool UsesBaseFeatures { get; }

    GatePlan Plan(in BaseFeatures features);

    /// <summary>Takes over or not given this step's score; asked only after <see cref="Plan"/> returned Score.</summary>
    bool Decide(int position, double score);

    /// <summary>Records the step's score in the gate's history (NaN when the guide was not consulted).</summary>
    void Observe(int position, double score);
}

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

/// <summary>
/// What the base distribution says at one step, known without the guide: entropy H_b and top-1 probability
/// (both NaN for arms that never step the base).
/// </summary>
public readonly record struct BaseFeatures(int Position, double Entropy, double Top1Probability);

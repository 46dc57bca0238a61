namespace EvalCluster.Inference.Divergence;

/// <summary>
/// Which per-step score a gate compares. Every kind is oriented so that larger means "the guide should rather
/// speak here"; the base-only kinds (<see cref="BaseEntropy"/>, <see cref="BaseTop1Complement"/>) need no guide.
/// </summary>
public enum DivergenceKind
{
    /// <summary>Cross-entropy -sum p_b log p_r (the method's default).</summary>
    CrossEntropy,

    /// <summary>KL(p_b || p_r) = cross-entropy - H_b.</summary>
    KlBaseGuide,

    /// <summary>KL(p_r || p_b).</summary>
    KlGuideBase,

    JensenShannon,

    TotalVariation,

    /// <summary>1 when the two argmax tokens differ, else 0.</summary>
    Top1Mismatch,

    /// <summary>H_b alone (entropy gate).</summary>
    BaseEntropy,

    /// <summary>1 - max p_b (Nudging-style: the base is unsure).</summary>
    BaseTop1Complement,
}

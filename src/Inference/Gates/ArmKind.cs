namespace EvalCluster.Inference.Gates;

/// <summary>The arms that can run side by side in one evaluation (DESIGN.md, "The method, precisely").</summary>
public enum ArmKind
{
    Base,
    Guide,
    Guided,
    Random,
    Early,
    Entropy,
    Nudging,

    /// <summary>A third model alone (e.g. a same-size thinking model), prompted like the guide; it plays the guide's part.</summary>
    Reference,
}

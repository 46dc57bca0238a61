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
}

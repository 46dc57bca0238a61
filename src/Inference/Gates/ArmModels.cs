namespace EvalCluster.Inference.Gates;

/// <summary>Which models an arm steps: the base alone, the guide alone, or both.</summary>
[Flags]
public enum ArmModels
{
    Base = 1,
    Guide = 2,
    Both = Base | Guide,
}

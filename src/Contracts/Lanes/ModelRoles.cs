namespace EvalCluster.Contracts.Lanes;

/// <summary>The roles a lane's models play.</summary>
public static class ModelRoles
{
    public const string Base = "base";
    public const string Guide = "guide";
    public const string Reference = "reference";
}

namespace EvalCluster.Grains.Runs;

/// <summary>Grain storage provider names the silo must register (memory or Redis: Silo:Storage).</summary>
public static class StorageNames
{
    public const string Runs = "runs";
}

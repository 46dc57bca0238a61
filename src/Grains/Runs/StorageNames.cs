namespace EvalCluster.Grains.Runs;

/// <summary>Grain storage provider names the silo must register (memory now; a durable store later).</summary>
public static class StorageNames
{
    public const string Runs = "runs";
}

namespace EvalCluster.Grains.Models;

/// <summary>How model grains coalesce requests and retire idle sessions (configuration section "Batching").</summary>
public sealed class BatchingOptions
{
    public const string Section = "Batching";

    /// <summary>Most sessions in one forward pass.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>Longest a request waits for others to join its batch, in milliseconds.</summary>
    public double MaxWaitMs { get; set; } = 2;

    /// <summary>A session untouched this long is closed and its KV budget returned.</summary>
    public TimeSpan IdleSessionTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

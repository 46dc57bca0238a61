using Microsoft.Extensions.Options;

namespace EvalCluster.Grains.Models;

/// <summary>How model grains schedule steps and retire idle sessions (configuration section "Batching").</summary>
public sealed class BatchingOptions
{
    public const string Section = "Batching";

    /// <summary>Most sessions in one step; 0 sizes it for the device (256 on CPU, 1,024 on CUDA).</summary>
    public int MaxBatchSize { get; set; }

    /// <summary>Token budget of one step (decode tokens + prefill chunk tokens); longer prefills are chunked.</summary>
    public int MaxTokensPerStep { get; set; } = 2048;

    /// <summary>Longest the first request of a step waits for others to join it, in milliseconds (batching, not a timeout).</summary>
    public double MaxWaitMs { get; set; } = 2;

    /// <summary>A session untouched this long is closed and its KV budget returned.</summary>
    public TimeSpan IdleSessionTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The step size for a device: the configured one, or the device default when 0.</summary>
    public int BatchSizeFor(string device) => MaxBatchSize > 0 ? MaxBatchSize
        : device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? 1024 : 256;
}

/// <summary>Refuses batching settings that cannot work, saying which key to fix.</summary>
public sealed class BatchingOptionsValidator : IValidateOptions<BatchingOptions>
{
    public ValidateOptionsResult Validate(string? name, BatchingOptions o)
    {
        var errors = new List<string>();
        if (o.MaxBatchSize < 0)
        {
            errors.Add($"Batching:MaxBatchSize must be 0 (sized for the device) or positive, got {o.MaxBatchSize}");
        }
        if (o.MaxTokensPerStep < 1)
        {
            errors.Add($"Batching:MaxTokensPerStep must be at least 1, got {o.MaxTokensPerStep}");
        }
        if (o.MaxWaitMs is < 0 or > 1000 || double.IsNaN(o.MaxWaitMs))
        {
            errors.Add($"Batching:MaxWaitMs must be between 0 and 1000 milliseconds, got {o.MaxWaitMs}");
        }
        if (o.IdleSessionTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Batching:IdleSessionTimeout must be positive (e.g. 00:05:00), got {o.IdleSessionTimeout}");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

using Microsoft.Extensions.Logging;

namespace EvalCluster.Inference.Models;

/// <summary>Source-generated log messages of the inference engine.</summary>
internal static partial class InferenceLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "CUDA execution provider could not load ({Reason}); device auto falls back to CPU")]
    public static partial void CudaFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning,
        Message = "Model {Model} has no KV cache inputs; every step re-feeds the whole sequence (slow path)")]
    public static partial void SlowPath(ILogger logger, string model);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information,
        Message = "Loaded {Model} on {Device}: {Layers} layers, {KvHeads} KV heads x {HeadDim}, vocab {Vocab}, KV {KvType}")]
    public static partial void Loaded(ILogger logger, string model, string device, int layers, int kvHeads, int headDim, int vocab, KvElementType kvType);
}

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

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Model {Model} is a GenAI graph with float32 KV on {Device}: ONNX Runtime's GroupQueryAttention has CUDA kernels for float16 and bfloat16 only, so it runs on the CPU and every step moves the cache over PCIe; export it with -p fp16 -e cuda")]
    public static partial void GqaFloat32OnCuda(ILogger logger, string model, string device);
}

namespace EvalCluster.Inference.Models;

/// <summary>Where and how a model runs: device <c>cpu</c>, <c>cuda:N</c> or <c>auto</c>, and ONNX Runtime thread counts (0 = its default).</summary>
public sealed record ExecutionOptions(string Device = "auto", int IntraOpThreads = 0, int InterOpThreads = 0)
{
    public static ExecutionOptions Cpu { get; } = new("cpu");
}

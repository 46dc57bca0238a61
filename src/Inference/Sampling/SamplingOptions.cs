namespace EvalCluster.Inference.Sampling;

/// <summary>Decoding settings. Temperature 0 means greedy (argmax); TopK 0 and TopP 1 disable those filters.</summary>
public sealed record SamplingOptions(float Temperature = 0f, float TopP = 1f, int TopK = 0)
{
    public static SamplingOptions Greedy { get; } = new();

    public bool IsGreedy => Temperature <= 0f;
}

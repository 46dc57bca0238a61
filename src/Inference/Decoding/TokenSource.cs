namespace EvalCluster.Inference.Decoding;

/// <summary>Which model's distribution a response token was sampled from.</summary>
public enum TokenSource
{
    Base,
    Guide,
}

namespace EvalCluster.Inference.Decoding;

/// <summary>Why a sequence stopped: an end-of-sequence token, the token limit, or a stop string in its decoded tail.</summary>
public enum FinishReason
{
    Eos,
    Length,
    Stop,
}

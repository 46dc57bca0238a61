namespace EvalCluster.Inference.Decoding;

/// <summary>Why a sequence stopped: an end-of-sequence token, or the token limit.</summary>
public enum FinishReason
{
    Eos,
    Length,
}

namespace EvalCluster.Inference.Models;

/// <summary>State of one sequence in an <see cref="OnnxCausalLm"/>: the tokens fed so far and their KV cache.</summary>
internal sealed class LmSession
{
    public LmSession(ModelSignature signature)
    {
        if (signature.HasKvCache)
        {
            Kv = signature.KvType == KvElementType.Float16
                ? new KvCache<Microsoft.ML.OnnxRuntime.Float16>(signature.Layers, signature.KvHeads, signature.HeadDim)
                : new KvCache<float>(signature.Layers, signature.KvHeads, signature.HeadDim);
        }
    }

    public List<int> Tokens { get; } = [];

    /// <summary>A <see cref="KvCache{T}"/> of float or Float16; null on the slow path.</summary>
    public object? Kv { get; }
}

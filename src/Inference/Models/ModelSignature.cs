namespace EvalCluster.Inference.Models;

/// <summary>
/// What the ONNX graph expects, discovered from its inputs and outputs: whether it has a KV cache
/// (decoder-with-past) or is a plain input_ids -> logits graph, the cache geometry and the element types.
/// <see cref="SharedBuffer"/>: a GenAI model-builder graph (GroupQueryAttention) whose past and present are one
/// preallocated buffer; the KV names then come from genai_config.json (printf patterns with %d).
/// </summary>
public sealed record ModelSignature(
    bool HasKvCache,
    bool HasAttentionMask,
    bool HasPositionIds,
    bool HasUseCacheBranch,
    int Layers,
    int KvHeads,
    int HeadDim,
    int VocabSize,
    KvElementType KvType,
    KvElementType LogitsType,
    bool SharedBuffer = false,
    string PastKeyNames = "past_key_values.%d.key",
    string PastValueNames = "past_key_values.%d.value",
    string PresentKeyNames = "present.%d.key",
    string PresentValueNames = "present.%d.value")
{
    /// <summary>Bytes of KV cache one token occupies: 2 (key, value) x layers x heads x head size x element size.</summary>
    public long KvBytesPerToken => HasKvCache ? 2L * Layers * KvHeads * HeadDim * (KvType == KvElementType.Float16 ? 2 : 4) : 0;
}

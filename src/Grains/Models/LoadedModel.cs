using EvalCluster.Inference.Models;

namespace EvalCluster.Grains.Models;

/// <summary>A model opened from its folder: the network, its prompt rendering + tokenizer, and its decoder.</summary>
public sealed record LoadedModel(
    ICausalLm Lm,
    Func<string, int[]> EncodePrompt,
    Func<IReadOnlyList<int>, string> Decode,
    IReadOnlySet<int> EosIds);

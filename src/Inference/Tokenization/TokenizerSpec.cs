using System.Text;

namespace EvalCluster.Inference.Tokenization;

/// <summary>What HfTokenizer needs from a tokenizer.json, already validated.</summary>
internal sealed record TokenizerSpec(
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<string> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    NormalizationForm? Normalization,
    string SplitPattern,
    bool AddPrefixSpace);

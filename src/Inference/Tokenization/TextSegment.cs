namespace EvalCluster.Inference.Tokenization;

/// <summary>A piece of input text: either an added token (with its id) or ordinary text for the BPE model.</summary>
internal readonly record struct TextSegment(int Start, int Length, int? AddedTokenId);

namespace EvalCluster.Inference.Tokenization;

/// <summary>A token from tokenizer.json's added_tokens: matched verbatim in text before normalisation and BPE.</summary>
public sealed record AddedToken(int Id, string Content, bool Special);

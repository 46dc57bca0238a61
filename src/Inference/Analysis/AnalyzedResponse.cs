using EvalCluster.Inference.Decoding;

namespace EvalCluster.Inference.Analysis;

/// <summary>One teacher-forced response: per-token traces, each token's decoded text, and whether its answer was correct (when known).</summary>
public sealed record AnalyzedResponse(IReadOnlyList<TokenTrace> Trace, IReadOnlyList<string> TokenTexts, bool? Correct);

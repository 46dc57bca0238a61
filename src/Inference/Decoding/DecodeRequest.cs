namespace EvalCluster.Inference.Decoding;

/// <summary>One sequence to decode: its state machine and each model's own prompt tokens (base template, guide chat template).</summary>
public sealed record DecodeRequest(GuidedSequence Sequence, IReadOnlyList<int> BasePrompt, IReadOnlyList<int> GuidePrompt);

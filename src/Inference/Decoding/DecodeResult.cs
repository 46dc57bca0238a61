namespace EvalCluster.Inference.Decoding;

/// <summary>Per-sequence results in request order, and the counters of the whole decode.</summary>
public sealed record DecodeResult(IReadOnlyList<SequenceResult> Sequences, DecoderCounters Counters);

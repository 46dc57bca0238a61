namespace EvalCluster.Inference.Decoding;

/// <summary>Per-sequence results in request order, and the counters of the whole decode.</summary>
public sealed record DecodeResult(IReadOnlyList<SequenceResult> Sequences, DecoderCounters Counters);

/// <summary>One sequence to decode: its state machine and each model's own prompt tokens (base template, guide chat template).</summary>
public sealed record DecodeRequest(GuidedSequence Sequence, IReadOnlyList<int> BasePrompt, IReadOnlyList<int> GuidePrompt);

/// <summary>
/// The outcome of one decoded sequence. <see cref="BaseContext"/> and <see cref="GuideContext"/> are the
/// response tokens each model's KV cache held at the end (the lazy guide may lag behind the response).
/// </summary>
public sealed record SequenceResult(
    IReadOnlyList<int> Tokens,
    FinishReason Finish,
    IReadOnlyList<TokenTrace> Trace,
    int Takeovers,
    double Rho,
    int GuideConsultations,
    int GuideTokensFed,
    IReadOnlyList<int> BaseContext,
    IReadOnlyList<int> GuideContext);

/// <summary>
/// What a decode cost: batched forward calls per model, and the guide's work per generated token (the lazy
/// guide's saving shows as <see cref="GuideConsultationsPerToken"/> well below 1).
/// </summary>
public sealed record DecoderCounters(
    int BaseForwardCalls,
    int GuideForwardCalls,
    long GeneratedTokens,
    long GuideConsultations,
    long GuideTokensFed,
    long GuidePromptTokens)
{
    /// <summary>Guide forward passes (one per consulted sequence-step) per generated token.</summary>
    public double GuideConsultationsPerToken => GeneratedTokens == 0 ? 0 : (double)GuideConsultations / GeneratedTokens;

    /// <summary>Response tokens the guide processed (catch-up included) per generated token.</summary>
    public double GuideTokensPerToken => GeneratedTokens == 0 ? 0 : (double)GuideTokensFed / GeneratedTokens;
}

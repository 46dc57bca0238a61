namespace EvalCluster.Inference.Decoding;

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

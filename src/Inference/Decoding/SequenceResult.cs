namespace EvalCluster.Inference.Decoding;

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

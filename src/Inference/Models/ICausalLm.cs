namespace EvalCluster.Inference.Models;

/// <summary>
/// A decoder-only language model with per-sequence sessions (each owns its KV cache). Many sessions step in
/// one batched forward pass even when their lengths differ. Not thread-safe: one caller at a time.
/// </summary>
public interface ICausalLm : IDisposable
{
    /// <summary>Short model name (folder name) used in traces, metrics and manifests.</summary>
    string Name { get; }

    int VocabSize { get; }

    /// <summary>KV-cache bytes one token occupies in one session (all layers, keys and values).</summary>
    long KvBytesPerToken { get; }

    /// <summary>
    /// Most tokens (prompt and response) one session may hold: config.json's max_position_embeddings. A forward
    /// that would pass it throws an <see cref="InferenceException"/> before anything is allocated.
    /// </summary>
    int MaxContext { get; }

    /// <summary>Opens an empty session and returns its handle.</summary>
    int OpenSession();

    /// <summary>
    /// Feeds each request's tokens to its session in ONE batched run and returns, per request in the same
    /// order, the log-probabilities after its last token. A session may appear at most once per call.
    /// </summary>
    IReadOnlyList<ForwardResult> Forward(IReadOnlyList<ForwardRequest> requests);

    /// <summary>Every token the session has been fed so far (prompt and response).</summary>
    IReadOnlyList<int> SessionTokens(int session);

    /// <summary>KV-cache bytes the session holds now.</summary>
    long KvBytes(int session);

    void CloseSession(int session);
}

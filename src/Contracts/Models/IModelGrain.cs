namespace EvalCluster.Contracts.Models;

/// <summary>
/// One model of one lane (key <c>"{laneId}|{role}"</c>, see <see cref="Lanes.LaneKeys"/>): owns the model's
/// sessions (KV caches) and coalesces the forward requests of many generation grains into batched passes.
/// Activates only on the silo that hosts the lane.
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Model name, vocabulary size and KV bytes per token.</summary>
    Task<ModelInfo> GetInfoAsync();

    /// <summary>
    /// Opens a session once its worst-case KV bytes (<paramref name="maxTokens"/> x bytes per token) fit the
    /// lane's budget; waits while they do not. Returns the session handle.
    /// </summary>
    Task<int> OpenSessionAsync(int maxTokens, CancellationToken cancellationToken = default);

    /// <summary>Feeds tokens to a session (prefill, one step or a catch-up) and returns the next-token log-probs.</summary>
    Task<LogProbs> ForwardAsync(int session, Immutable<int[]> tokens, CancellationToken cancellationToken = default);

    /// <summary>Closes a session and returns its KV budget; closing an unknown session does nothing.</summary>
    Task CloseSessionAsync(int session);

    /// <summary>Tokenizes a prompt: the base takes the rendered text as is; the guide and reference wrap it in their chat template.</summary>
    Task<Immutable<int[]>> EncodePromptAsync(string userMessage);

    /// <summary>Decodes response tokens to text.</summary>
    Task<string> DecodeAsync(Immutable<int[]> tokens);
}

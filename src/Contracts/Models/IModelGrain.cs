namespace EvalCluster.Contracts.Models;

/// <summary>
/// One model of one lane (key <c>"{laneId}|{role}"</c>, see <see cref="Lanes.LaneKeys"/>): owns the model's
/// sessions (KV caches) and coalesces the forward requests of many generation grains into batched passes.
/// Activates only on the silo that hosts the lane.
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>
    /// Lane-internal calls (generation grain -> model grain, both on the lane's silo) wait in the model's queue as
    /// long as the lane is busy: admission waits for KV memory, a prefill for the step's token budget. Such waiting
    /// must never fail a call, nor may the first call's model load (minutes for an 8B model); a call to a silo that
    /// membership declares dead fails at once anyway, so these calls carry no practical response timeout (the coordinator's calls to the generation grain are the ones that detect a lost lane).
    /// </summary>
    public const string LaneCallTimeout = "7.00:00:00";

    /// <summary>Model name, vocabulary size and KV bytes per token.</summary>
    [ResponseTimeout(LaneCallTimeout)]
    Task<ModelInfo> GetInfoAsync();

    /// <summary>
    /// Opens a session once its worst-case KV bytes (<paramref name="maxTokens"/> x bytes per token) fit the
    /// lane's budget; waits while they do not. Returns the session handle.
    /// </summary>
    [ResponseTimeout(LaneCallTimeout)]
    Task<int> OpenSessionAsync(int maxTokens, CancellationToken cancellationToken = default);

    /// <summary>Feeds tokens to a session (prefill, one step or a catch-up) and returns the next-token log-probs.</summary>
    [ResponseTimeout(LaneCallTimeout)]
    Task<LogProbs> ForwardAsync(int session, Immutable<int[]> tokens, CancellationToken cancellationToken = default);

    /// <summary>Closes a session and returns its KV budget; closing an unknown session does nothing.</summary>
    [ResponseTimeout(LaneCallTimeout)]
    Task CloseSessionAsync(int session);

    /// <summary>Tokenizes a prompt: the base takes the rendered text as is; the guide and reference wrap it in their chat template.</summary>
    [ResponseTimeout(LaneCallTimeout)]
    Task<Immutable<int[]>> EncodePromptAsync(string userMessage);

    /// <summary>Decodes response tokens to text.</summary>
    [ResponseTimeout(LaneCallTimeout)]
    Task<string> DecodeAsync(Immutable<int[]> tokens);
}

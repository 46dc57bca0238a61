namespace EvalCluster.Contracts.Generation;

/// <summary>
/// Runs one (problem, sample, arm) on its lane (key from <see cref="Lanes.LaneKeys.Generation"/>): drives the
/// method's step machine against the lane's base and guide model grains and grades the response. Placed on the
/// lane's silo so log-probabilities never leave it.
/// <para>
/// Long generations never depend on a call timeout: <see cref="GenerateAsync"/> starts the generation (once;
/// calling again with the same key joins it) and returns within <c>maxWait</c>, with the result when it is done
/// or null while it runs. The coordinator calls again until it has the result. Each call is short, so a
/// generation may take hours, and a call that fails or times out tells the coordinator the lane is gone.
/// </para>
/// </summary>
public interface IGenerationGrain : IGrainWithStringKey
{
    /// <summary>Starts the generation unless it is running or done; waits up to <paramref name="maxWait"/> for its result.</summary>
    [AlwaysInterleave]
    Task<GenerationResult?> GenerateAsync(GenerationRequest request, TimeSpan maxWait);

    /// <summary>Stops a running generation (the coordinator is stopping); its result is not wanted.</summary>
    [AlwaysInterleave]
    Task CancelAsync();
}

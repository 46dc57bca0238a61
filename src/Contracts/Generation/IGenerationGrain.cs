using EvalCluster.Contracts.Runs;

namespace EvalCluster.Contracts.Generation;

/// <summary>
/// Runs one (problem, sample, arm) on its lane (key from <see cref="Lanes.LaneKeys.Generation"/>): drives the
/// method's step machine against the lane's base and guide model grains, grades the response and records it
/// in the run grain. Placed on the lane's silo so log-probabilities never leave it.
/// </summary>
public interface IGenerationGrain : IGrainWithStringKey
{
    Task<SampleResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default);
}

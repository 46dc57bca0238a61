using EvalCluster.Grains.Lanes;
using EvalCluster.Grains.Metrics;
using EvalCluster.Grains.Models;
using EvalCluster.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EvalCluster.Grains;

/// <summary>Registers what the grains need on every silo: lane placement, the silo's lanes, model loading, metrics.</summary>
public static class GrainsSiloBuilderExtensions
{
    /// <param name="lanes">The lanes this silo hosts (may be empty on a silo that only runs run grains).</param>
    /// <param name="loader">How model folders are opened; ONNX Runtime when null.</param>
    public static ISiloBuilder AddEvalClusterGrains(this ISiloBuilder silo, IReadOnlyList<LaneConfig> lanes, IModelLoader? loader = null)
    {
        silo.AddPlacementDirector<LanePlacementStrategy, LanePlacementDirector>();
        silo.Services.AddSingleton(sp => new LaneCatalog(sp.GetRequiredService<ILocalSiloDetails>(), lanes,
            sp.GetRequiredService<IOptions<BatchingOptions>>().Value.BatchSizeFor));
        silo.Services.TryAddSingleton(sp => loader ?? new OnnxModelLoader(0, sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        silo.Services.TryAddSingleton<ClusterInstruments>();
        silo.Services.AddMetrics();
        silo.Services.AddOptions<BatchingOptions>().ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BatchingOptions>, BatchingOptionsValidator>());
        return silo;
    }
}

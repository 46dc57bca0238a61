using System.Net;
using EvalCluster.Grains;
using EvalCluster.Grains.Lanes;
using EvalCluster.Grains.Models;
using EvalCluster.Grains.Runs;
using EvalCluster.Silo.Options;
using Orleans.Configuration;

namespace EvalCluster.Silo.Hosting;

/// <summary>
/// Configures an Orleans silo from validated <see cref="SiloHostOptions"/>: clustering, grain storage and the
/// grains' services. Shared by the silo program, the coordinator's embedded mode and the cluster tests.
/// </summary>
public static class SiloHostBuilderExtensions
{
    public static ISiloBuilder AddEvalClusterSilo(this ISiloBuilder silo, SiloHostOptions options, IModelLoader? loader = null)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = options.Name);
        // The seam for Redis and Kubernetes clustering: the validator admits only what is wired here.
        switch (options.Clustering)
        {
            case "localhost":
                var primary = new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort ?? options.SiloPort);
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ServiceId, options.ClusterId);
                break;
        }
        return silo.AddEvalClusterServices(options, loader);
    }

    /// <summary>Everything but clustering: grain storage and the grains' services (test clusters bring their own membership).</summary>
    public static ISiloBuilder AddEvalClusterServices(this ISiloBuilder silo, SiloHostOptions options, IModelLoader? loader = null)
    {
        silo.AddStorage(options);
        return silo.AddEvalClusterGrains(options.Lanes.Select(ToConfig).ToList(), loader);
    }

    /// <summary>Grain storage for runs: memory now; a durable provider plugs in here under the same name.</summary>
    public static ISiloBuilder AddStorage(this ISiloBuilder silo, SiloHostOptions options) => options.Storage switch
    {
        _ => silo.AddMemoryGrainStorage(StorageNames.Runs),
    };

    public static LaneConfig ToConfig(LaneOptions lane)
    {
        var models = new Dictionary<string, string> { ["base"] = lane.Base, ["guide"] = lane.Guide };
        if (!string.IsNullOrWhiteSpace(lane.Reference))
        {
            models["reference"] = lane.Reference;
        }
        return new LaneConfig(lane.Name, lane.Device, models, lane.KvBudgetBytes);
    }
}

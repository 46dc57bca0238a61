using System.Net;
using EvalCluster.Grains;
using EvalCluster.Grains.Lanes;
using EvalCluster.Grains.Models;
using EvalCluster.Grains.Runs;
using EvalCluster.Silo.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace EvalCluster.Silo.Hosting;

/// <summary>
/// Configures an Orleans silo from validated <see cref="SiloHostOptions"/>: membership (localhost, Redis or
/// Kubernetes + Redis), grain storage, failure-detection timings, mutual TLS and the grains' services. Shared by
/// the silo program, the coordinator's embedded mode and the cluster tests.
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
        switch (options.Clustering)
        {
            case "localhost":
                var primary = new IPEndPoint(IPAddress.Loopback, options.PrimarySiloPort ?? options.SiloPort);
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ServiceId, options.ClusterId);
                break;
            case "redis":
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, options.ListenOnAnyAddress);
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis));
                break;
            case "kubernetes":
                // Pod name, namespace and IP come from the downward API; cluster and service id from
                // ORLEANS_CLUSTER_ID / ORLEANS_SERVICE_ID when set. Membership itself lives in Redis.
                silo.ConfigureEndpoints(IPAddress.Parse(Environment.GetEnvironmentVariable("POD_IP")!), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseKubernetesHosting();
                silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis));
                break;
        }
        silo.Configure<ClusterMembershipOptions>(o => ApplyTimings(o, options.Membership));
        if (options.Tls.Enabled)
        {
            silo.UseMutualTls(options.Tls);
        }
        return silo.AddEvalClusterServices(options, loader);
    }

    /// <summary>Everything but clustering: grain storage and the grains' services (test clusters bring their own membership).</summary>
    public static ISiloBuilder AddEvalClusterServices(this ISiloBuilder silo, SiloHostOptions options, IModelLoader? loader = null)
    {
        silo.AddStorage(options);
        return silo.AddEvalClusterGrains(options.Lanes.Select(ToConfig).ToList(), loader);
    }

    /// <summary>Grain storage for run ledgers: memory, or Redis so that a ledger outlives the silo holding it.</summary>
    public static ISiloBuilder AddStorage(this ISiloBuilder silo, SiloHostOptions options) => options.Storage switch
    {
        "redis" => silo.AddRedisGrainStorage(StorageNames.Runs, o => o.ConfigurationOptions = ConfigurationOptions.Parse(options.Redis)),
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

    private static void ApplyTimings(ClusterMembershipOptions o, MembershipTimingOptions t)
    {
        o.ProbeTimeout = t.ProbeTimeout ?? o.ProbeTimeout;
        o.NumMissedProbesLimit = t.NumMissedProbesLimit ?? o.NumMissedProbesLimit;
        o.NumVotesForDeathDeclaration = t.NumVotesForDeathDeclaration ?? o.NumVotesForDeathDeclaration;
        o.TableRefreshTimeout = t.TableRefreshTimeout ?? o.TableRefreshTimeout;
        o.IAmAliveTablePublishTimeout = t.IAmAliveTablePublishTimeout ?? o.IAmAliveTablePublishTimeout;
        o.DeathVoteExpirationTimeout = t.DeathVoteExpirationTimeout ?? o.DeathVoteExpirationTimeout;
    }
}

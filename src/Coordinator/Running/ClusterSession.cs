using System.Net;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// The cluster a run talks to: an embedded silo started in this process (one CPU lane), or a client of a
/// running cluster's gateway. Either way the run sees grains and the lanes every active silo reports.
/// </summary>
public sealed class ClusterSession(IHost host, IGrainFactory grains, IReadOnlyList<LaneInfo> lanes, string? metricsUrl) : IAsyncDisposable
{
    public IGrainFactory Grains { get; } = grains;

    public IReadOnlyList<LaneInfo> Lanes { get; } = lanes;

    /// <summary>The embedded silo's /metrics address (null for a client).</summary>
    public string? MetricsUrl { get; } = metricsUrl;

    public static async Task<ClusterSession> StartEmbeddedAsync(EmbeddedLane lane, CancellationToken cancellationToken)
    {
        var app = EvalClusterSilo.Build(lane.Configuration());
        await app.StartAsync(cancellationToken);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        return new ClusterSession(app, grains, await DiscoverLanesAsync(grains), app.Urls.FirstOrDefault() + "/metrics");
    }

    /// <summary>Connects to a cluster's gateway at HOST:PORT (cluster and service id "evalcluster").</summary>
    public static async Task<ClusterSession> ConnectAsync(string gateway, CancellationToken cancellationToken)
    {
        var endpoint = ParseEndpoint(gateway);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .UseStaticClustering(endpoint)
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("evalcluster", "evalcluster")));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var grains = host.Services.GetRequiredService<IClusterClient>();
        return new ClusterSession(host, grains, await DiscoverLanesAsync(grains), null);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    private static async Task<IReadOnlyList<LaneInfo>> DiscoverLanesAsync(IGrainFactory grains)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var lanes = new List<LaneInfo>();
        foreach (var silo in hosts.Select(h => h.SiloName).Distinct().Order(StringComparer.Ordinal))
        {
            lanes.AddRange(await grains.GetGrain<ISiloLanesGrain>(silo).GetLanesAsync());
        }
        return lanes.Count > 0
            ? lanes
            : throw new ArgumentException("the cluster has no lanes; configure Silo:Lanes on at least one silo.");
    }

    private static IPEndPoint ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port))
        {
            throw new ArgumentException($"--cluster '{text}': expected embedded or HOST:PORT of a silo gateway (e.g. 127.0.0.1:30000).");
        }
        var host = text[..colon];
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).First();
        return new IPEndPoint(address, port);
    }
}

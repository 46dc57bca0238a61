using System.Net;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Silo.Hosting;
using EvalCluster.Silo.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using StackExchange.Redis;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// The cluster a run talks to: an embedded silo started in this process (one CPU lane), or a client of a running
/// cluster, found through one gateway (HOST:PORT) or through Redis membership (redis://HOST:PORT, every gateway).
/// Lanes are discovered from the silos that membership lists as active, and re-discovered while the run goes on.
/// </summary>
public sealed class ClusterSession(IHost host, IGrainFactory grains, string? metricsUrl) : IAsyncDisposable
{
    public const string DefaultClusterId = "evalcluster";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    // A discovery abandoned at its time limit may still finish while the next one runs.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<LaneInfo>> _lanesBySilo = new();

    public IGrainFactory Grains { get; } = grains;

    /// <summary>The embedded silo's /metrics address (null for a client).</summary>
    public string? MetricsUrl { get; } = metricsUrl;

    public static async Task<ClusterSession> StartEmbeddedAsync(EmbeddedLane lane, CancellationToken cancellationToken)
    {
        var app = EvalClusterSilo.Build(lane.Configuration());
        await app.StartAsync(cancellationToken);
        return new ClusterSession(app, app.Services.GetRequiredService<IGrainFactory>(), app.Urls.FirstOrDefault() + "/metrics");
    }

    /// <summary>Connects to a cluster (cluster and service id "evalcluster"), with mutual TLS when <paramref name="tls"/> names a certificate.</summary>
    public static async Task<ClusterSession> ConnectAsync(string target, TlsFileOptions tls, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            if (target.StartsWith("redis://", StringComparison.OrdinalIgnoreCase))
            {
                var connection = target["redis://".Length..];
                client.UseRedisClustering(o => o.ConfigurationOptions = ParseRedis(connection, target));
                // Gateways come and go with the fleet: re-read the list often so a dead one is dropped and a new one used.
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
            }
            else
            {
                client.UseStaticClustering(ParseEndpoint(target));
            }
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (DefaultClusterId, DefaultClusterId));
            if (tls.Enabled)
            {
                client.UseMutualTls(tls);
            }
        });
        var host = builder.Build();
        // A gateway that refuses us (TLS without our certificate, another cluster) does not always fail the
        // client's start: bound it, and prove the connection with one call before anything is written.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(limit.Token);
            var client = host.Services.GetRequiredService<IClusterClient>();
            await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(limit.Token);
            return new ClusterSession(host, client, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var reason = ex is OperationCanceledException ? $"no answer within {ConnectTimeout.TotalSeconds:0} s" : ex.Message.Split('\n')[0];
            throw new ArgumentException($"--cluster {target}: cannot connect ({reason}); start a silo there, check the address{(tls.Enabled ? " and the TLS certificates" : " (a TLS cluster needs --tls-cert, --tls-key, --tls-ca)")}.");
        }
    }

    /// <summary>
    /// The lanes of every silo membership lists as active now (each silo incarnation's lanes asked once and remembered).
    /// Empty when no silo is active; throws when membership cannot be read.
    /// </summary>
    public async Task<IReadOnlyList<LaneInfo>> DiscoverLanesAsync() => [.. (await DiscoverLiveLanesAsync()).Select(l => l.Info)];

    /// <summary>
    /// As <see cref="DiscoverLanesAsync"/>, each lane with the address of the silo incarnation serving it (a silo
    /// restarted under the same name has a new one), as Orleans writes it in its errors.
    /// </summary>
    public async Task<IReadOnlyList<LiveLane>> DiscoverLiveLanesAsync()
    {
        var hosts = await Grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
        var lanes = new List<LiveLane>();
        foreach (var host in hosts.GroupBy(h => h.SiloName).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // Two active entries under one name: a restarted silo whose old incarnation is not yet declared dead.
            // The lanes are placed by name on the newest incarnation (LanePlacementDirector), which serves them.
            var entry = host.MaxBy(h => h.SiloAddress.Generation)!;
            var newest = entry.SiloAddress.ToString();
            // How a client names that silo's gateway in its errors ("Unable to connect to S10.0.0.5:30000:0").
            var gateway = SiloAddress.New(entry.SiloAddress.Endpoint.Address, entry.ProxyPort, 0).ToString();
            // Asked once per incarnation: a silo restarted with other lanes or models is asked again.
            if (!_lanesBySilo.TryGetValue(newest, out var siloLanes))
            {
                siloLanes = await Grains.GetGrain<ISiloLanesGrain>(host.Key).GetLanesAsync();
                _lanesBySilo[newest] = siloLanes;
            }
            lanes.AddRange(siloLanes.Select(l => new LiveLane(l, newest) { Gateway = gateway }));
        }
        return lanes;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or OrleansException)
        {
            // A client whose cluster is gone cannot say goodbye; nothing is left to clean up.
        }
        host.Dispose();
    }

    private static ConfigurationOptions ParseRedis(string connection, string target)
    {
        try
        {
            var options = ConfigurationOptions.Parse(connection);
            return options.EndPoints.Count > 0 ? options : throw new ArgumentException("no endpoint");
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"--cluster '{target}': expected redis://HOST:PORT (a StackExchange.Redis connection string after redis://).");
        }
    }

    private static IPEndPoint ParseEndpoint(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out var port))
        {
            throw new ArgumentException($"--cluster '{text}': expected embedded, HOST:PORT of a silo gateway (e.g. 127.0.0.1:30000) or redis://HOST:PORT.");
        }
        var host = text[..colon];
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip : Dns.GetHostAddresses(host).First();
        return new IPEndPoint(address, port);
    }
}

/// <summary>A lane and the silo incarnation serving it (<c>SiloAddress.ToString()</c>), with that silo's gateway as
/// a client's errors name it (generation 0; empty when unknown).</summary>
public sealed record LiveLane(LaneInfo Info, string Silo)
{
    public string Gateway { get; init; } = "";
}

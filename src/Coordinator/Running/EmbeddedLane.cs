using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace EvalCluster.Coordinator.Running;

/// <summary>The one CPU lane of embedded mode, as the silo configuration it becomes (free loopback ports).</summary>
public sealed record EmbeddedLane(string Base, string Guide, string? Reference, int MaxBatchSize = 0)
{
    /// <summary>Let the silo log to the console (`--verbose`).</summary>
    public bool Verbose { get; init; }

    public IConfiguration Configuration()
    {
        var settings = new Dictionary<string, string?>
        {
            // Quiet unless --verbose: a failure reaches the command as its one-line error; the silo's log repeats it with stack traces.
            ["Logging:LogLevel:Default"] = Verbose ? "Information" : "None",
            ["Silo:Name"] = "embedded",
            // Unique per silo: two embedded silos in one process (tests) must not join each other's cluster.
            ["Silo:ClusterId"] = "evalcluster-embedded-" + Guid.NewGuid().ToString("N"),
            ["Silo:SiloPort"] = FreePort().ToString(),
            ["Silo:GatewayPort"] = FreePort().ToString(),
            ["Silo:HttpUrl"] = "http://127.0.0.1:0",
            ["Silo:Lanes:0:Name"] = "cpu0",
            ["Silo:Lanes:0:Device"] = "cpu",
            ["Silo:Lanes:0:Base"] = Base,
            ["Silo:Lanes:0:Guide"] = Guide,
            ["Silo:Lanes:0:Reference"] = Reference,
            ["Batching:MaxBatchSize"] = MaxBatchSize.ToString(),
        };
        return new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

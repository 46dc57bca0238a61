using System.Net;
using System.Net.Sockets;

namespace EvalCluster.TestSupport;

/// <summary>
/// Loopback ports picked at run time, so tests of several engineers (and the test assemblies `dotnet test` runs in
/// parallel) can run side by side. Ports come from below the kernel's ephemeral range: a port the OS hands out
/// for bind(0) is also handed to outgoing connections (Redis clients, HTTP probes, Orleans' own), which can take
/// it between our check and the silo's bind (a silo then failed to start: seen once in CI). Random within the
/// range, free when checked, and never handed out twice by one process.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];
    private static readonly (int Low, int High) Range = BelowEphemeral();

    /// <summary>A loopback port free right now (the caller binds it soon after).</summary>
    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(Range.Low, Range.High);
                if (!Given.Contains(port) && IsFree(port))
                {
                    Given.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException($"no free loopback port in {Range.Low}-{Range.High - 1} after 200 tries");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Linux: /proc/sys/net/ipv4/ip_local_port_range (32768 60999 by default); the 12,000 ports below its start.
    private static (int Low, int High) BelowEphemeral()
    {
        var start = 32768;
        try
        {
            var text = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            start = int.Parse(text[0]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or hidden: keep the default.
        }
        return start - 12000 >= 1024 ? (start - 12000, start) : (20000, 30000);
    }
}

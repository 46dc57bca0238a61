using System.Net;
using System.Net.Sockets;

namespace EvalCluster.TestSupport;

/// <summary>Loopback ports picked at run time, so tests of several engineers can run side by side.</summary>
public static class FreePorts
{
    /// <summary>A loopback port free right now (the OS picks it; the caller binds it soon after).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Net;
using System.Net.Sockets;

namespace EvalCluster.Fleet.Tests;

/// <summary>A silo process that cannot start says why in one line and exits non-zero; it never aborts with a stack dump.</summary>
public sealed class SiloStartTests
{
    [Theory]
    [InlineData("SiloPort")]
    [InlineData("HttpUrl")]
    public async Task A_silo_whose_port_is_taken_exits_1_with_one_line_naming_its_ports(string taken)
    {
        var (siloPort, gatewayPort, httpPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        using var holder = new TcpListener(IPAddress.Loopback, taken == "SiloPort" ? siloPort : httpPort);
        holder.Start();
        using var silo = ChildProcess.StartProgram("silo-port-taken", "Silo", [
            "--Silo:Name=silo-port-taken", $"--Silo:SiloPort={siloPort}", $"--Silo:GatewayPort={gatewayPort}", $"--Silo:HttpUrl=http://127.0.0.1:{httpPort}"]);

        var rc = await silo.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(rc == 1, $"exit code {rc}, expected 1:\n{silo.Tail()}");
        var errors = silo.Lines.Where(l => l.Line.StartsWith("error:", StringComparison.Ordinal)).Select(l => l.Line).ToList();
        var error = Assert.Single(errors);
        Assert.Contains("already in use", error);
        Assert.Contains($"Silo:SiloPort={siloPort}, Silo:GatewayPort={gatewayPort}, Silo:HttpUrl=http://127.0.0.1:{httpPort}", error);
        Assert.DoesNotContain(silo.Lines, l => l.Line.Contains("Unhandled exception", StringComparison.Ordinal));
    }
}

using System.Net.Sockets;
using EvalCluster.Silo.Hosting;
using Microsoft.Extensions.Configuration;

// The silo process: `dotnet run --project src/Silo` (settings in appsettings.json, Silo__Name=... env, or --Silo:Name=...).
// A mistake in the settings, or a port another process holds, is one line on stderr and exit code 1; any other
// failure is logged by the host in full and ends the process with one line and exit code 2 (never an abort).
IConfiguration? configuration = null;
try
{
    configuration = EvalClusterSilo.LoadConfiguration(args);
    var app = EvalClusterSilo.Build(configuration);
    await app.RunAsync();
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (Exception ex) when (AddressInUse(ex) is { } inUse)
{
    var ports = string.Join(", ", new[] { "SiloPort", "GatewayPort", "HttpUrl" }.Select(k => $"Silo:{k}={configuration?[$"Silo:{k}"] ?? "(default)"}"));
    Console.Error.WriteLine($"error: a port this silo listens on is already in use ({inUse.Message.Split('\n')[0]}); stop what holds it or choose free ports ({ports}).");
    return 1;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"error: the silo stopped: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
    return 2;
}

// The bind failure in an exception chain (Orleans' listeners throw AddressInUseException around a SocketException,
// Kestrel an IOException naming the URL around one): the outermost exception that says so, null when none does.
static Exception? AddressInUse(Exception ex)
{
    var chain = new List<Exception>();
    for (Exception? e = ex; e is not null && chain.Count < 16; e = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e.InnerException)
    {
        chain.Add(e);
    }
    var bindFailure = chain.FirstOrDefault(e => e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.GetType().Name == "AddressInUseException");
    return bindFailure is null ? null : chain.FirstOrDefault(e => e.Message.Contains("in use", StringComparison.OrdinalIgnoreCase)) ?? bindFailure;
}

using System.Net;

namespace EvalCluster.Fleet.Tests;

/// <summary>
/// A real fleet on this machine: redis-server on a free loopback port and silo processes with Redis membership and
/// storage, each hosting one CPU lane of the shipped toy models. Failure detection is tuned for tests (1 s probes,
/// 2 missed probes, 1 vote) through the silos' own configuration keys. Disposing ends every process it started.
/// </summary>
public sealed class Fleet : IDisposable
{
    private readonly List<ChildProcess> _processes = [];

    private readonly Func<int, string[]>? _extraSiloArgs;
    private readonly IReadOnlyDictionary<string, string>? _siloEnvironment;

    public Fleet(int silos, Func<int, string[]>? extraSiloArgs = null, IReadOnlyDictionary<string, string>? siloEnvironment = null)
    {
        _extraSiloArgs = extraSiloArgs;
        _siloEnvironment = siloEnvironment;
        RedisPort = FreePorts.Next();
        _processes.Add(ChildProcess.Start("redis-server", ["--port", RedisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], name: "redis"));
        for (var i = 0; i < silos; i++)
        {
            Silos.Add(StartSilo(i));
        }
    }

    /// <summary>
    /// Starts silo <paramref name="i"/> again under its name (new ports, as a rescheduled pod gets a new address):
    /// a new incarnation of the same silo, serving the same lane. The old process must have exited.
    /// </summary>
    public void Restart(int i)
    {
        if (!Silos[i].Process.HasExited)
        {
            throw new InvalidOperationException($"{Silos[i].Process.Name} is still running");
        }
        Silos[i] = StartSilo(i);
    }

    private (ChildProcess Process, int HttpPort) StartSilo(int i)
    {
        var http = FreePorts.Next();
        var silo = ChildProcess.StartProgram($"silo-{i}", "Silo", [
            $"--Silo:Name=silo-{i}", "--Silo:Clustering=redis", $"--Silo:Redis=127.0.0.1:{RedisPort}", "--Silo:Storage=redis",
            $"--Silo:SiloPort={FreePorts.Next()}", $"--Silo:GatewayPort={FreePorts.Next()}", $"--Silo:HttpUrl=http://127.0.0.1:{http}",
            "--Silo:Membership:ProbeTimeout=00:00:01", "--Silo:Membership:NumMissedProbesLimit=2", "--Silo:Membership:NumVotesForDeathDeclaration=1",
            .. _extraSiloArgs?.Invoke(i) ?? []], _siloEnvironment);
        _processes.Add(silo);
        return (silo, http);
    }

    public int RedisPort { get; }

    public string ClusterTarget => $"redis://127.0.0.1:{RedisPort}";

    public List<(ChildProcess Process, int HttpPort)> Silos { get; } = [];

    /// <summary>Waits (bounded) until every silo's /health answers 200: it is an active member with a usable lane.</summary>
    public async Task WaitHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        foreach (var (silo, port) in Silos)
        {
            while (true)
            {
                if (silo.HasExited)
                {
                    throw new InvalidOperationException($"{silo.Name} exited with {silo.ExitCode} before it was healthy:\n{silo.Tail()}");
                }
                try
                {
                    if ((await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode == HttpStatusCode.OK)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{silo.Name} not healthy within {limit.TotalSeconds:0} s:\n{silo.Tail()}");
                }
                await Task.Delay(500);
            }
        }
    }

    /// <summary>Polls a silo's /health (bounded) until it answers <paramref name="status"/>; returns the body.</summary>
    public async Task<string> WaitForHealthAsync(int silo, HttpStatusCode status, TimeSpan limit)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(70) };
        var (process, port) = Silos[silo];
        var deadline = DateTime.UtcNow + limit;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync($"http://127.0.0.1:{port}/health");
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == status)
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{process.Name}'s /health did not answer {(int)status} within {limit.TotalSeconds:0} s (last: {last}):\n{process.Tail()}");
    }

    /// <summary>Ends redis-server (by its id): membership becomes unreachable for every silo.</summary>
    public void KillRedis() => _processes[0].KillHard();

    public ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        // Coordinator and silos first, Redis last (silos leaving still write to it).
        foreach (var process in Enumerable.Reverse(_processes))
        {
            process.Dispose();
        }
    }
}

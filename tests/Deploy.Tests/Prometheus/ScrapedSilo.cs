using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvalCluster.Deploy.Tests.Prometheus;

/// <summary>
/// A real scrape: a silo process (src/Silo's build output, toy models, loopback ports), a real Prometheus scraping
/// it every second, and the coordinator process running a small task through the silo's gateway. Started once per
/// test class; every process it started is ended by id at the end.
/// </summary>
public sealed class ScrapedSilo : IAsyncLifetime
{
    public const string SiloName = "silo-scrape";
    public const int Problems = 24;
    public static readonly string[] Arms = ["base", "guide", "guided", "random"];
    private static readonly TimeSpan Startup = TimeSpan.FromMinutes(2);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "evalcluster-scrape-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private readonly List<ChildProcess> _processes = [];
    private string _prometheus = "";

    public string RunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var (siloPort, gatewayPort, httpPort, promPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var silo = Started(ChildProcess.StartDotnet(RepoPaths.ProgramDll("Silo"),
        [
            $"--Silo:Name={SiloName}", $"--Silo:SiloPort={siloPort}", $"--Silo:GatewayPort={gatewayPort}",
            $"--Silo:HttpUrl=http://127.0.0.1:{httpPort}", "--Silo:Lanes:0:Name=lane0", "--Silo:Lanes:0:Device=cpu",
            $"--Silo:Lanes:0:Base={RepoPaths.File("models", "toy", "base")}", $"--Silo:Lanes:0:Guide={RepoPaths.File("models", "toy", "guide")}",
        ], _dir));
        await UntilAsync(async () => (await GetAsync($"http://127.0.0.1:{httpPort}/health"))?.StartsWith("Healthy", StringComparison.Ordinal) == true, Startup, silo, "silo /health Healthy");

        var config = Path.Combine(_dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: evalcluster-silo
                static_configs:
                  - targets: ["127.0.0.1:{httpPort}"]
                    labels:
                      silo: {SiloName}
            """);
        _prometheus = $"http://127.0.0.1:{promPort}";
        var prometheus = Started(ChildProcess.Start("prometheus",
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_dir, "tsdb")}", $"--web.listen-address=127.0.0.1:{promPort}"], _dir));
        await UntilAsync(async () => (await QueryAsync($"up{{silo=\"{SiloName}\"}} == 1")).Count == 1, Startup, prometheus, "Prometheus scraping the silo");

        // Prometheus' rate() cannot see a series' first increase: a series that appears and takes all its increments
        // between two scrapes has rate 0 (and its quantiles NaN). On a quiet machine one arm's generations of a small
        // run can finish within one scrape interval, so a short warm-up run creates every per-arm/lane series first,
        // and the measured run (fewer in flight, so it spans several scrapes) only increases series already scraped.
        await RunCoordinatorAsync(gatewayPort, Path.Combine(_dir, "warmup"), limit: 2, maxInFlight: 8);
        await UntilAsync(async () => (await QueryAsync($"sum(problems_completed_total) == {2 * Arms.Length}")).Count == 1, TimeSpan.FromSeconds(30), prometheus, "warm-up samples scraped");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var runs = Path.Combine(_dir, "runs");
        await RunCoordinatorAsync(gatewayPort, runs, Problems, maxInFlight: 2);
        RunId = Path.GetFileName(Assert.Single(Directory.GetDirectories(runs)));

        // Every graded sample has been scraped (and scraped again after, so rates see the last increase).
        var total = Problems * Arms.Length;
        await UntilAsync(async () => (await QueryAsync($"sum(problems_completed_total{{run=\"{RunId}\"}}) == {total}")).Count == 1, TimeSpan.FromSeconds(30), prometheus, $"{total} graded samples scraped");
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    private static async Task RunCoordinatorAsync(int gatewayPort, string runs, int limit, int maxInFlight)
    {
        using var coordinator = ChildProcess.StartDotnet(RepoPaths.ProgramDll("Coordinator"),
            ["run", "--cluster", $"127.0.0.1:{gatewayPort}", "--limit", limit.ToString(CultureInfo.InvariantCulture), "--arms", string.Join(',', Arms),
             "--max-in-flight", maxInFlight.ToString(CultureInfo.InvariantCulture), "--out", runs], RepoPaths.Root);
        var exitCode = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, "the coordinator failed:\n" + coordinator.Output);
    }

    /// <summary>An instant query through Prometheus' HTTP API; the result vector.</summary>
    public async Task<List<JsonNode>> QueryAsync(string query)
    {
        var body = await GetAsync($"{_prometheus}/api/v1/query?query={Uri.EscapeDataString(query)}");
        var json = JsonNode.Parse(body ?? throw new InvalidOperationException($"Prometheus did not answer {query}"))!;
        Assert.True((string?)json["status"] == "success", $"{query}: {body}");
        return [.. json["data"]!["result"]!.AsArray().Select(r => r!)];
    }

    public Task DisposeAsync()
    {
        foreach (var p in _processes)
        {
            p.Dispose();
        }
        _http.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is exiting: leave the temporary folder.
        }
        return Task.CompletedTask;
    }

    private ChildProcess Started(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }

    private async Task<string?> GetAsync(string url)
    {
        try
        {
            using var response = await _http.GetAsync(url);
            return await response.Content.ReadAsStringAsync();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, ChildProcess process, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"process exited while waiting for {what}:\n{process.Output}");
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                // Not answering yet.
            }
            await Task.Delay(250);
        }
        Assert.Fail($"timed out after {timeout} waiting for {what}:\n{process.Output}");
    }
}

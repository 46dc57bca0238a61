using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace EvalCluster.Fleet.Tests;

/// <summary>The same greedy run, once without faults: what every run with a killed silo must reproduce.</summary>
public sealed class CleanRun : IAsyncLifetime
{
    public string Out { get; } = Directory.CreateTempSubdirectory("fleet-clean-").FullName;

    public IReadOnlyDictionary<string, JsonObject> Samples { get; private set; } = new Dictionary<string, JsonObject>();

    public async Task InitializeAsync()
    {
        using var coordinator = ChildProcess.StartProgram("clean-run", "Coordinator", [.. FailoverTests.RunArgs("clean", Out), "--cluster", "embedded"]);
        var rc = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(4));
        Assert.True(rc == 0, $"the clean run exited {rc}:\n{coordinator.Tail()}");
        Samples = FailoverTests.ReadSamples(Path.Combine(Out, "clean"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Out, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Three silo processes on Redis membership and storage, the coordinator as a separate process, and a kill -9 of
/// one silo at ~30% of the run: the run finishes by itself (exit 0), every key is in samples.jsonl exactly once,
/// and the greedy results equal the clean run's token for token (response, takeover positions, token sources and
/// token text boundaries).
/// </summary>
public sealed class FailoverTests(CleanRun clean, ITestOutputHelper output) : IClassFixture<CleanRun>
{
    private const int Limit = 40;
    private static readonly string[] Arms = ["base", "guide", "guided"];

    [Fact]
    public Task A_run_survives_a_kill_of_a_silo_that_is_not_the_first_started() => KillMidRunAsync(victim: 1);

    [Fact]
    public Task A_run_survives_a_kill_of_the_first_silo_started() => KillMidRunAsync(victim: 0);

    public static string[] RunArgs(string runId, string outDir) =>
        ["run", "--limit", Limit.ToString(), "--arms", string.Join(',', Arms), "--max-in-flight", "8", "--run-id", runId, "--out", outDir];

    public static Dictionary<string, JsonObject> ReadSamples(string runDir)
    {
        var samples = new Dictionary<string, JsonObject>();
        foreach (var line in File.ReadAllLines(Path.Combine(runDir, "samples.jsonl")))
        {
            var o = JsonNode.Parse(line)!.AsObject();
            var key = $"{o["task"]}|{o["problem_id"]}|{o["sample"]}|{o["arm"]}";
            Assert.True(samples.TryAdd(key, o), $"key {key} appears more than once in samples.jsonl");
        }
        return samples;
    }

    private async Task KillMidRunAsync(int victim)
    {
        using var fleet = new Fleet(silos: 3);
        await fleet.WaitHealthyAsync(TimeSpan.FromMinutes(3));
        var outDir = Directory.CreateTempSubdirectory("fleet-run-").FullName;
        try
        {
            var runDir = Path.Combine(outDir, "killed");
            var coordinator = fleet.Track(ChildProcess.StartProgram("coordinator", "Coordinator", [.. RunArgs("killed", outDir), "--cluster", fleet.ClusterTarget]));
            var expected = Limit * Arms.Length;
            var atKill = await WaitForLinesAsync(Path.Combine(runDir, "samples.jsonl"), expected * 3 / 10, coordinator, TimeSpan.FromMinutes(3));
            var (silo, _) = fleet.Silos[victim];
            silo.KillHard();
            var killedAt = DateTime.UtcNow;

            var rc = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(3));

            Assert.True(rc == 0, $"the coordinator exited {rc} after {silo.Name} was killed:\n{coordinator.Tail()}");
            var samples = ReadSamples(runDir);
            Assert.Equal(clean.Samples.Keys.Order(), samples.Keys.Order());
            foreach (var (key, expectedSample) in clean.Samples)
            {
                foreach (var field in new[] { "response", "takeover_positions", "trace", "extracted", "correct", "response_tokens" })
                {
                    var want = field == "trace" ? Without(expectedSample[field], "scores_f16") : expectedSample[field];
                    var got = field == "trace" ? Without(samples[key][field], "scores_f16") : samples[key][field];
                    Assert.True(JsonNode.DeepEquals(want, got), $"{key}: {field} differs from the clean run: {got?.ToJsonString()} vs {want?.ToJsonString()}");
                }
            }
            Assert.Contains(samples.Values, s => (string?)s["silo"] == silo.Name);
            var lost = coordinator.Lines.FirstOrDefault(l => l.Line.Contains($"lane {silo.Name}/lane0 lost", StringComparison.Ordinal));
            Assert.True(lost.Line is not null, $"the coordinator never reported {silo.Name}'s lane lost:\n{coordinator.Tail()}");
            var afterKill = samples.Values.Count(s => (string?)s["silo"] == silo.Name);
            output.WriteLine($"killed {silo.Name} at {atKill}/{expected} lines; lane reported lost {(lost.At - killedAt).TotalSeconds:0.0} s after the kill; " +
                $"{afterKill} lines from {silo.Name}; {coordinator.Lines.FirstOrDefault(l => l.Line.StartsWith("re-dispatched", StringComparison.Ordinal)).Line}");
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    private static JsonNode? Without(JsonNode? node, string property)
    {
        var copy = node?.DeepClone().AsObject();
        copy?.Remove(property);
        return copy;
    }

    private static async Task<int> WaitForLinesAsync(string path, int lines, ChildProcess coordinator, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var count = File.Exists(path) ? File.ReadLines(path).Count() : 0;
            if (count >= lines)
            {
                return count;
            }
            if (coordinator.HasExited)
            {
                throw new InvalidOperationException($"the coordinator exited ({coordinator.ExitCode}) at {count} lines before the kill:\n{coordinator.Tail()}");
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"samples.jsonl did not reach {lines} lines within {limit.TotalSeconds:0} s:\n{coordinator.Tail()}");
    }
}

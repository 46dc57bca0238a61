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
/// one silo once ~30% of the run is written and that silo has finished keys of its own (under load a silo can start
/// late): the run finishes by itself (exit 0), every key is in samples.jsonl exactly once, the greedy results equal
/// the clean run's token for token (response, takeover positions, token sources and token text boundaries), only
/// the killed silo's lane is reported lost, no key fails on a live lane, and only the keys the killed silo had in
/// flight are sent again.
/// </summary>
public sealed class FailoverTests(CleanRun clean, ITestOutputHelper output) : IClassFixture<CleanRun>
{
    private const int Limit = 40;
    private const int InFlight = 8;
    private static readonly string[] Arms = ["base", "guide", "guided"];

    [Fact]
    public Task A_run_survives_a_kill_of_a_silo_that_is_not_the_first_started() => KillMidRunAsync(victim: 1);

    [Fact]
    public Task A_run_survives_a_kill_of_the_first_silo_started() => KillMidRunAsync(victim: 0);

    /// <summary>
    /// Two silos; one is killed once it has written lines and started again at once under its name (new ports: a
    /// new incarnation, as a rescheduled pod), while membership may still list the dead one. The coordinator drops
    /// the old incarnation's lane, takes the lane back on the new one (a lost lane stays out only while membership
    /// lists the same incarnation), the restarted silo finishes keys, and the run equals the clean run. One
    /// generation in flight per lane and 100 problems keep the run long enough for a restart even under load (a silo
    /// can take 10 s to start while the other test assemblies run); the first 40 problems are compared with the clean run.
    /// </summary>
    [Fact]
    public async Task A_silo_restarted_under_its_name_mid_run_takes_its_lane_back()
    {
        const int inFlight = 1, limit = 100;
        using var fleet = new Fleet(silos: 2);
        await fleet.WaitHealthyAsync(TimeSpan.FromMinutes(3));
        var outDir = Directory.CreateTempSubdirectory("fleet-restart-").FullName;
        try
        {
            var runDir = Path.Combine(outDir, "restarted");
            var samplesPath = Path.Combine(runDir, "samples.jsonl");
            var coordinator = fleet.Track(ChildProcess.StartProgram("coordinator", "Coordinator", [.. RunArgs("restarted", outDir, inFlight, limit), "--cluster", fleet.ClusterTarget]));
            var expected = limit * Arms.Length;
            var silo = fleet.Silos[1].Process;
            var atKill = await WaitForLinesAsync(samplesPath, expected / 5, silo.Name, coordinator, TimeSpan.FromMinutes(3));
            silo.KillHard();
            await silo.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var beforeRestart = ReadSamples(runDir).Values.Count(s => (string?)s["silo"] == silo.Name);
            var linesAtRestart = File.ReadAllLines(samplesPath).Length;
            Assert.True(linesAtRestart < expected * 3 / 4, $"the run is nearly done ({linesAtRestart}/{expected}) before the restart: too short to show a rejoin");

            fleet.Restart(1);
            var rc = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(3));

            Assert.True(rc == 0, $"the coordinator exited {rc}:\n{coordinator.Tail()}");
            var lost = coordinator.Lines.FirstOrDefault(l => l.Line.StartsWith($"lane {silo.Name}/lane0 lost", StringComparison.Ordinal));
            Assert.True(lost.Line is not null, $"the coordinator never dropped the killed incarnation's lane:\n{coordinator.Tail()}");
            var joined = coordinator.Lines.FirstOrDefault(l => l.Line.StartsWith($"lane {silo.Name}/lane0 joined the run", StringComparison.Ordinal));
            Assert.True(joined.Line is not null, $"the coordinator never took {silo.Name}'s lane back:\n{coordinator.Tail()}\n{fleet.Silos[1].Process.Tail()}");
            var samples = ReadSamples(runDir);
            Assert.Equal(expected, samples.Count);
            AssertEqualsClean(samples.Where(s => clean.Samples.ContainsKey(s.Key)).ToDictionary());
            var afterRestart = samples.Values.Count(s => (string?)s["silo"] == silo.Name) - beforeRestart;
            Assert.True(afterRestart > 0, $"the restarted {silo.Name} finished no key ({linesAtRestart}/{expected} lines were written at the restart)");
            output.WriteLine($"killed {silo.Name} at {atKill}/{expected} lines, restarted at {linesAtRestart}; {lost.Line}; {joined.Line}; {afterRestart} keys finished by the new incarnation");
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    public static string[] RunArgs(string runId, string outDir, int inFlight = InFlight, int limit = Limit) =>
        ["run", "--limit", limit.ToString(), "--arms", string.Join(',', Arms), "--max-in-flight", inFlight.ToString(), "--run-id", runId, "--out", outDir];

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
            var (silo, _) = fleet.Silos[victim];
            var atKill = await WaitForLinesAsync(Path.Combine(runDir, "samples.jsonl"), expected * 3 / 10, silo.Name, coordinator, TimeSpan.FromMinutes(3));
            silo.KillHard();
            var killedAt = DateTime.UtcNow;

            var rc = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(3));

            Assert.True(rc == 0, $"the coordinator exited {rc} after {silo.Name} was killed:\n{coordinator.Tail()}");
            var samples = ReadSamples(runDir);
            AssertEqualsClean(samples);
            Assert.Contains(samples.Values, s => (string?)s["silo"] == silo.Name);
            var lost = coordinator.Lines.FirstOrDefault(l => l.Line.Contains($"lane {silo.Name}/lane0 lost", StringComparison.Ordinal));
            Assert.True(lost.Line is not null, $"the coordinator never reported {silo.Name}'s lane lost:\n{coordinator.Tail()}");
            var lostLanes = coordinator.Lines.Where(l => l.Line.StartsWith("lane ", StringComparison.Ordinal) && l.Line.Contains(" lost (", StringComparison.Ordinal)).ToList();
            Assert.True(lostLanes.All(l => l.Line.StartsWith($"lane {silo.Name}/lane0 lost", StringComparison.Ordinal)) && lostLanes.Count == 1,
                $"only {silo.Name}'s lane may be reported lost, once:\n{string.Join('\n', lostLanes.Select(l => l.Line))}");
            // A live lane keeps its model grains and generations: nothing on it fails or starts again because another
            // silo died (with Orleans' default grain directory they were deactivated when the dead silo held their registration).
            var failedKeys = coordinator.Lines.Where(l => l.Line.StartsWith("key ", StringComparison.Ordinal) && l.Line.Contains(" failed on lane ", StringComparison.Ordinal)).ToList();
            Assert.True(failedKeys.Count == 0, $"keys failed on live lanes after {silo.Name} was killed:\n{string.Join('\n', failedKeys.Select(l => l.Line))}");
            var redispatched = coordinator.Lines.Select(l => System.Text.RegularExpressions.Regex.Match(l.Line, "^re-dispatched ([0-9]+) key")).FirstOrDefault(m => m.Success);
            Assert.True(redispatched is not null && int.Parse(redispatched.Groups[1].Value) is > 0 and <= InFlight,
                $"expected the killed silo's in-flight keys (1 to {InFlight}) sent again, got: {redispatched?.Value ?? "no re-dispatch line"}");
            var afterKill = samples.Values.Count(s => (string?)s["silo"] == silo.Name);
            output.WriteLine($"killed {silo.Name} at {atKill}/{expected} lines; lane reported lost {(lost.At - killedAt).TotalSeconds:0.0} s after the kill; " +
                $"{afterKill} lines from {silo.Name}; {coordinator.Lines.FirstOrDefault(l => l.Line.StartsWith("re-dispatched", StringComparison.Ordinal)).Line}");
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>Every key of the clean run, once, with the same greedy result token for token.</summary>
    private void AssertEqualsClean(Dictionary<string, JsonObject> samples)
    {
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
    }

    private static JsonNode? Without(JsonNode? node, string property)
    {
        var copy = node?.DeepClone().AsObject();
        copy?.Remove(property);
        return copy;
    }

    /// <summary>Waits (bounded) until samples.jsonl has <paramref name="lines"/> lines, some of them from <paramref name="silo"/>.</summary>
    private static async Task<int> WaitForLinesAsync(string path, int lines, string silo, ChildProcess coordinator, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var count = 0;
        while (DateTime.UtcNow < deadline)
        {
            // The writer appends whole lines; a line being written may be torn at the end, so only complete ones count.
            var text = File.Exists(path) ? ReadShared(path) : "";
            var complete = text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            count = complete.Length;
            if (count >= lines && complete.Any(l => (string?)JsonNode.Parse(l)!["silo"] == silo))
            {
                return count;
            }
            if (coordinator.HasExited)
            {
                throw new InvalidOperationException($"the coordinator exited ({coordinator.ExitCode}) at {count} lines before the kill:\n{coordinator.Tail()}");
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"samples.jsonl did not reach {lines} lines with one from {silo} within {limit.TotalSeconds:0} s (at {count}):\n{coordinator.Tail()}");
    }

    private static string ReadShared(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }
}

using System.Text.Json.Nodes;

namespace EvalCluster.Fleet.Tests;

/// <summary>
/// A sample that brings down every silo it runs on (here: a fault switch makes a silo end its process when that
/// problem's generation starts, as a sample that runs the machine out of memory would) must not go round the fleet
/// taking every silo with it: after three lanes were lost under it the run stops with one line naming it, the
/// fourth silo still up, and what finished is kept.
/// </summary>
public sealed class PoisonKeyTests
{
    [Fact]
    public async Task A_key_that_brings_down_each_silo_it_runs_on_stops_the_run_after_three_lost_lanes()
    {
        const string poison = "toy-plan-test-0003";
        // Four silos: the run must stop after the third, while one is left (with three, the last one's death would
        // also leave no lane at all).
        using var fleet = new Fleet(silos: 4, siloEnvironment: new Dictionary<string, string> { ["EVALCLUSTER_FAULT_CRASH_ON_PROBLEM"] = poison });
        await fleet.WaitHealthyAsync(TimeSpan.FromMinutes(3));
        var outDir = Directory.CreateTempSubdirectory("fleet-poison-").FullName;
        try
        {
            var coordinator = fleet.Track(ChildProcess.StartProgram("coordinator", "Coordinator",
                ["run", "--limit", "12", "--arms", "base", "--max-in-flight", "2", "--run-id", "poison", "--out", outDir, "--cluster", fleet.ClusterTarget]));

            var rc = await coordinator.WaitForExitAsync(TimeSpan.FromMinutes(3));

            Assert.True(rc == 1, $"exit code {rc}, expected 1:\n{coordinator.Tail()}");
            var error = Assert.Single(coordinator.Lines, l => l.Line.StartsWith("error:", StringComparison.Ordinal)).Line;
            Assert.Contains($"key toy-plan|{poison}|0|base was running on 3 lanes that were lost", error);
            Assert.Contains("--resume", error);
            var lost = string.Join('\n', coordinator.Lines.Where(l => l.Line.Contains(" lost (", StringComparison.Ordinal)).Select(l => l.Line));
            Assert.True(fleet.Silos.Count(s => s.Process.HasExited) == 3,
                $"{fleet.Silos.Count(s => s.Process.HasExited)} silos exited: the key should have brought down three, then stopped; lanes lost:\n{lost}");
            var samples = Path.Combine(outDir, "poison", "samples.jsonl");
            var lines = File.Exists(samples) ? File.ReadAllLines(samples) : [];
            Assert.All(lines, l => Assert.NotEqual(poison, (string?)JsonNode.Parse(l)!["problem_id"]));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }
}

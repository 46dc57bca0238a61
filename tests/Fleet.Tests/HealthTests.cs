using System.Net;

namespace EvalCluster.Fleet.Tests;

/// <summary>/health of a silo process tells the truth: unhealthy when membership is unreachable or no lane can load its models.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task A_silo_cut_off_from_membership_reports_unhealthy()
    {
        using var fleet = new Fleet(1);
        await fleet.WaitForHealthAsync(0, HttpStatusCode.OK, TimeSpan.FromMinutes(3));

        fleet.KillRedis();
        var body = await fleet.WaitForHealthAsync(0, HttpStatusCode.ServiceUnavailable, TimeSpan.FromMinutes(1));

        Assert.Contains("cannot read membership", body);
    }

    [Fact]
    public async Task A_silo_whose_only_lane_cannot_load_its_model_reports_unhealthy_naming_the_lane()
    {
        var broken = Directory.CreateTempSubdirectory("fleet-broken-model-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "models", "toy", "base")))
            {
                File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
            }
            File.WriteAllText(Path.Combine(broken, "model.onnx"), "not an onnx graph");
            using var fleet = new Fleet(1, _ => [$"--Silo:Lanes:0:Base={broken}"]);

            var body = await fleet.WaitForHealthAsync(0, HttpStatusCode.ServiceUnavailable, TimeSpan.FromMinutes(3));

            Assert.Contains("has no usable lane (silo-0/lane0:", body);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }
}

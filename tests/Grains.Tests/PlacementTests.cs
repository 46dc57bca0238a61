using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Models;
using Orleans.Runtime;

namespace EvalCluster.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PlacementTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Each_lanes_model_grains_activate_on_the_silo_that_hosts_the_lane()
    {
        foreach (var lane in fixture.Lanes)
        {
            foreach (var role in new[] { ModelRoles.Base, ModelRoles.Guide })
            {
                var info = await fixture.Grains.GetGrain<IModelGrain>(LaneKeys.Model(lane, role)).GetInfoAsync();
                Assert.Equal(LaneKeys.SiloName(lane), info.Silo);
            }
        }
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics();
        var names = fixture.Cluster.Silos.ToDictionary(s => s.SiloAddress, s => s.Name);
        var models = stats.Where(s => s.GrainId.Type.ToString() == "model").ToList();
        Assert.True(models.Count >= fixture.Lanes.Count * 2);
        Assert.All(models, s => Assert.Equal(LaneKeys.SiloName(s.GrainId.Key.ToString()!), names[s.SiloAddress]));
    }

    [Fact]
    public async Task Every_silo_reports_the_lanes_it_hosts()
    {
        foreach (var silo in fixture.Cluster.Silos)
        {
            var lanes = await fixture.Grains.GetGrain<ISiloLanesGrain>(silo.Name).GetLanesAsync();
            var lane = Assert.Single(lanes);
            Assert.Equal($"{silo.Name}/lane0", lane.LaneId);
            Assert.Equal(fixture.Models.BaseDir, lane.Models[ModelRoles.Base]);
            // Batching:MaxBatchSize is unset: the CPU lane reports the device default a coordinator fills it with.
            Assert.Equal(256, lane.MaxBatch);
            // What the lane serves, identified as manifests and calibrations identify weights.
            Assert.Equal(Inference.Models.ModelFolder.HashWeights(fixture.Models.BaseDir), lane.Weights[ModelRoles.Base]);
            Assert.Equal(Inference.Models.ModelFolder.HashWeights(fixture.Models.GuideDir), lane.Weights[ModelRoles.Guide]);
            Assert.NotEqual(lane.Weights[ModelRoles.Base], lane.Weights[ModelRoles.Guide]);
        }
    }

    [Fact]
    public async Task A_lane_on_a_silo_that_does_not_exist_fails_with_a_message_naming_the_lane()
    {
        var grain = fixture.Grains.GetGrain<IModelGrain>(LaneKeys.Model("nowhere/lane0", ModelRoles.Base));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => grain.GetInfoAsync());
        Assert.Contains("no active silo named 'nowhere' hosts lane 'nowhere/lane0'", ex.Message);
    }

    [Fact]
    public async Task A_lane_its_silo_does_not_host_fails_instead_of_falling_back()
    {
        var silo = fixture.Cluster.Silos[0].Name;
        var grain = fixture.Grains.GetGrain<IModelGrain>(LaneKeys.Model($"{silo}/gpu7", ModelRoles.Base));
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => grain.GetInfoAsync());
        Assert.Contains($"silo '{silo}' does not host lane '{silo}/gpu7'", ex.Message);
    }
}

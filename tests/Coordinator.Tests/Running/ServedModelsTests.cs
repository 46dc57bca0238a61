using System.Collections.Immutable;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Coordinator.Running;
using EvalCluster.Coordinator.Tests.Commands;

namespace EvalCluster.Coordinator.Tests.Running;

/// <summary>In cluster mode the manifest names what the lanes serve; lanes serving different weights for one role are refused.</summary>
public sealed class ServedModelsTests
{
    [Fact]
    public void Lanes_serving_different_base_weights_are_refused_with_one_line_naming_them()
    {
        LaneInfo[] lanes = [Lane("silo-a/lane0", "aaaa1111aaaa1111", "gggg"), Lane("silo-b/lane0", "bbbb2222bbbb2222", "gggg")];

        var ex = Assert.Throws<ArgumentException>(() => ServedModels.From(lanes));

        Assert.Equal("the lanes serve different base models (silo-a/lane0: base weights aaaa1111aaaa; silo-b/lane0: base weights bbbb2222bbbb); "
            + "give every lane the same base model, or run on lanes that match.", ex.Message);
    }

    [Fact]
    public void The_manifest_of_a_cluster_run_names_the_weights_the_lanes_serve_not_the_local_model_folders()
    {
        LaneInfo[] lanes = [Lane("silo-a/lane0", "basehash", "guidehash"), Lane("silo-b/lane0", "basehash", "guidehash")];
        var request = new RunRequest
        {
            RunId = "served",
            Tasks = ["toy-plan"],
            Arms = ["base", "guide"],
            TasksDir = Path.Combine(RepoPaths.Root, "tasks"),
            DataDir = Path.Combine(RepoPaths.Root, "data"),
            Base = "/nonexistent/local/base",
            Guide = "/nonexistent/local/guide",
            Limit = 1,
            OutDir = Path.GetTempPath(),
            Served = ServedModels.From(lanes),
        };

        var manifest = RunInputs.Build(request).Manifest;

        Assert.Equal([("base", "base", "/lanes/base", "basehash"), ("guide", "guide", "/lanes/guide", "guidehash")],
            manifest.Models.Select(m => (m.Role, m.Name, m.Path, m.Sha256)));
    }

    private static LaneInfo Lane(string id, string baseSha, string guideSha) =>
        new(id, id.Split('/')[0], "cpu", ImmutableDictionary<string, string>.Empty.Add("base", "/lanes/base").Add("guide", "/lanes/guide"))
        {
            Weights = ImmutableDictionary<string, string>.Empty.Add("base", baseSha).Add("guide", guideSha),
        };
}

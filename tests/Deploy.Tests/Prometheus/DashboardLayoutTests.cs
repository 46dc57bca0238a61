using System.Text.Json.Nodes;

namespace EvalCluster.Deploy.Tests.Prometheus;

/// <summary>
/// deploy/grafana/evalcluster.json as Grafana reads it: the rows the issue lists, unique panel ids, panels inside the
/// 24-column grid without overlapping, every query on the dashboard's Prometheus variable with a unique refId.
/// </summary>
public sealed class DashboardLayoutTests
{
    private static readonly JsonNode Dashboard = JsonNode.Parse(File.ReadAllText(RepoPaths.File("deploy", "grafana", "evalcluster.json")))!;

    [Fact]
    public void The_dashboard_has_the_rows_for_an_evaluation_in_flight()
    {
        var rows = Dashboard["panels"]!.AsArray().Where(p => (string)p!["type"]! == "row").Select(p => (string)p!["title"]!);
        Assert.Equal(["Run progress", "Tokens and takeovers", "Latency", "Batching and memory", "Orleans"], rows);
        Assert.Equal("datasource", (string)Dashboard["templating"]!["list"]![0]!["type"]!);
    }

    [Fact]
    public void Panels_have_unique_ids_fit_the_grid_and_do_not_overlap()
    {
        var panels = Dashboard["panels"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(panels.Count, panels.Select(p => (int)p["id"]!).Distinct().Count());
        var boxes = panels.Select(p => p["gridPos"]!).Select(g => (X: (int)g["x"]!, Y: (int)g["y"]!, W: (int)g["w"]!, H: (int)g["h"]!)).ToList();
        Assert.All(boxes, b => Assert.True(b.X >= 0 && b.W > 0 && b.X + b.W <= 24 && b.H > 0, $"{b} is outside the 24-column grid"));
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"panels '{panels[i]["title"]}' and '{panels[j]["title"]}' overlap");
            }
        }
    }

    [Fact]
    public void Every_query_uses_the_prometheus_variable_and_a_unique_ref_id()
    {
        foreach (var panel in Dashboard["panels"]!.AsArray().Select(p => p!).Where(p => (string)p["type"]! != "row"))
        {
            Assert.Equal("${datasource}", (string)panel["datasource"]!["uid"]!);
            var targets = panel["targets"]!.AsArray().Select(t => t!).ToList();
            Assert.NotEmpty(targets);
            Assert.All(targets, t => Assert.Equal("${datasource}", (string)t["datasource"]!["uid"]!));
            Assert.Equal(targets.Count, targets.Select(t => (string)t["refId"]!).Distinct().Count());
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EvalCluster.Deploy.Tests.Prometheus;

/// <summary>
/// deploy/grafana/evalcluster.json against a real scrape (<see cref="ScrapedSilo"/>): every panel query, with the
/// variables set to "all" and to real values, returns at least one finite value; every variable lists values; the
/// metrics have the labels and bucket edges the panels rely on.
/// </summary>
public sealed partial class DashboardQueryTests(ScrapedSilo scrape) : IClassFixture<ScrapedSilo>
{
    private static readonly JsonNode Dashboard = JsonNode.Parse(File.ReadAllText(RepoPaths.File("deploy", "grafana", "evalcluster.json")))!;

    [Fact]
    public async Task Every_dashboard_query_returns_data_with_variables_set_to_all_and_to_real_values()
    {
        var queries = Panels(Dashboard["panels"]!.AsArray())
            .SelectMany(p => p["targets"]!.AsArray().Select(t => (Panel: (string)p["title"]!, Expr: (string)t!["expr"]!))).ToList();
        var variables = Dashboard["templating"]!["list"]!.AsArray().Select(v => (string)v!["name"]!).Where(n => n != "datasource").ToList();
        Assert.Equal(["run", "task", "arm", "silo", "lane"], variables);
        Assert.True(queries.Count >= 20, $"only {queries.Count} queries in the dashboard");

        var all = variables.ToDictionary(v => v, _ => ".*");
        var real = new Dictionary<string, string>
        {
            ["run"] = scrape.RunId, ["task"] = "toy-plan", ["arm"] = "guided", ["silo"] = ScrapedSilo.SiloName, ["lane"] = $"{ScrapedSilo.SiloName}/lane0",
        };
        var failures = new List<string>();
        foreach (var values in new[] { all, real })
        {
            foreach (var (panel, expr) in queries)
            {
                var query = Substitute(expr, values);
                var result = await scrape.QueryAsync(query);
                if (!result.Any(r => double.TryParse((string)r["value"]![1]!, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)))
                {
                    failures.Add($"{panel}: {query} -> {(result.Count == 0 ? "no data" : "no finite value")}");
                }
            }
        }
        Assert.True(failures.Count == 0, "dashboard queries without data:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task Every_dashboard_variable_lists_values()
    {
        foreach (var variable in Dashboard["templating"]!["list"]!.AsArray().Where(v => (string)v!["type"]! == "query"))
        {
            var match = LabelValues().Match((string)variable!["query"]!["query"]!);
            Assert.True(match.Success, $"variable {variable["name"]}: expected label_values(SELECTOR, LABEL)");
            var label = match.Groups[2].Value;
            var values = (await scrape.QueryAsync($"count by ({label}) ({Substitute(match.Groups[1].Value, new Dictionary<string, string>())})"))
                .Select(r => (string?)r["metric"]![label]).ToList();
            Assert.Contains(values, v => !string.IsNullOrEmpty(v));
        }
    }

    [Fact]
    public async Task Metrics_carry_the_labels_and_bucket_edges_the_panels_need()
    {
        // Takeovers only where the base runs: the guide-alone arm writes every token but takes over none.
        Assert.Empty(await scrape.QueryAsync("takeovers_total{arm=\"guide\"}"));
        Assert.NotEmpty(await scrape.QueryAsync("generation_tokens_total{arm=\"guide\",source=\"guide\"} > 0"));
        Assert.NotEmpty(await scrape.QueryAsync("takeovers_total{arm=\"guided\"} > 0"));
        Assert.NotEmpty(await scrape.QueryAsync($"generation_tokens_total{{model_name!=\"\",lane=\"{ScrapedSilo.SiloName}/lane0\",source=\"base\",arm=\"base\"}} > 0"));

        // Seconds from half a millisecond to ten minutes; batch sizes up to 512.
        Assert.Empty(new[] { 0.0005, 0.001, 0.01, 0.1, 1, 60, 600, double.PositiveInfinity }.Except(await Edges("inter_token_latency_seconds_bucket")));
        Assert.Empty(new[] { 1, 2, 4, 512, double.PositiveInfinity }.Except(await Edges("batch_size_bucket")));

        // Run progress: the run grain's expected and recorded samples match what the coordinator ran.
        var total = (ScrapedSilo.Problems * ScrapedSilo.Arms.Length).ToString(CultureInfo.InvariantCulture);
        foreach (var gauge in new[] { "run_samples_expected", "run_samples_recorded" })
        {
            var value = Assert.Single(await scrape.QueryAsync($"sum({gauge}{{run=\"{scrape.RunId}\",task=\"toy-plan\"}})"));
            Assert.Equal(total, (string)value["value"]![1]!);
        }
    }

    // Bucket edges as numbers (Prometheus may write "1" as "1.0").
    private async Task<HashSet<double>> Edges(string bucket) =>
        [.. (await scrape.QueryAsync($"count by (le) ({bucket})")).Select(r => (string)r["metric"]!["le"]!)
            .Select(le => le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture))];

    private static IEnumerable<JsonNode> Panels(JsonArray panels) =>
        panels.Select(p => p!).SelectMany(p => p["type"]!.ToString() == "row" ? Panels(p["panels"]!.AsArray()) : [p]);

    // Rate windows span the whole test run (under 10 minutes), so an arm that finished early still has rates on a slow machine.
    private static string Substitute(string expr, Dictionary<string, string> values) =>
        Variable().Replace(expr.Replace("$__rate_interval", "10m", StringComparison.Ordinal),
            m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : ".*");

    [GeneratedRegex(@"\$\{?(\w+)\}?")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^label_values\((.+),\s*(\w+)\)$")]
    private static partial Regex LabelValues();
}

using System.Net;
using EvalCluster.Contracts.Lanes;
using EvalCluster.Contracts.Runs;
using EvalCluster.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EvalCluster.Grains.Tests;

/// <summary>The silo program's host (Kestrel + Orleans) in process: options validation, /metrics and /health over HTTP.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloHostTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_scrape_of_metrics_after_a_run_returns_the_named_metrics_with_non_zero_values()
    {
        await using var app = EvalClusterSilo.Build(Configuration(fixture.Models.BaseDir));
        await app.StartAsync();
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var requests = TestRuns.Requests("run-metrics", 3, ["base", "guided"], TestRuns.Greedy(6));
        await TestRuns.GenerateAllAsync(grains, ["host-test/lane0"], requests);

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var text = await http.GetStringAsync("/metrics");
        var health = await http.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        foreach (var name in new[] { "generation_tokens_total", "problems_completed_total", "batch_size_count", "time_to_first_token_seconds_count", "inter_token_latency_seconds_count" })
        {
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
            Assert.True(line is not null, $"{name} missing from /metrics:\n{text[..Math.Min(2000, text.Length)]}");
            Assert.NotEqual(0, double.Parse(line.Split(' ')[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }
        await app.StopAsync();
    }

    [Fact]
    public void A_bad_lane_setting_fails_at_start_with_a_message_that_says_how_to_fix_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => EvalClusterSilo.Build(Configuration("/no/such/model", device: "gpu0")));

        Assert.Contains("Silo:Lanes:0:Device 'gpu0' is not a device; use cpu or cuda:N", ex.Message);
        Assert.Contains("Silo:Lanes:0:Base: folder '/no/such/model' does not exist", ex.Message);
    }

    [Theory]
    [InlineData("Silo:Clustering", "redis", "Silo:Redis is empty but Silo:Clustering=redis, Silo:Storage=memory need it; set Silo__Redis=127.0.0.1:6379")]
    [InlineData("Silo:Storage", "redis", "Silo:Redis is empty but Silo:Clustering=localhost, Silo:Storage=redis need it")]
    [InlineData("Silo:Clustering", "kubernetes", "Silo:Clustering=kubernetes needs the downward-API variable POD_NAME")]
    [InlineData("Silo:Clustering", "consul", "Silo:Clustering 'consul' is not supported; use one of: localhost, redis, kubernetes")]
    [InlineData("Silo:Tls:CertificatePath", "/no/such/silo.crt", "Silo:Tls:CertificatePath: file '/no/such/silo.crt' does not exist")]
    [InlineData("Silo:AdvertisedAddress", "silo-a.local", "Silo:AdvertisedAddress 'silo-a.local' is not an IP address")]
    [InlineData("Silo:Clusterng", "redis", "unknown key(s) under Silo: 'Clusterng'; check the spelling")]
    [InlineData("Silo:Membership:ProbeTimout", "00:00:01", "unknown key(s) under Silo:Membership: 'ProbeTimout'")]
    public void A_fleet_setting_that_cannot_work_is_refused_at_start_naming_the_key(string key, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddConfiguration(Configuration(fixture.Models.BaseDir))
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var ex = Assert.Throws<ArgumentException>(() => EvalClusterSilo.Build(configuration));

        Assert.Contains(message, ex.Message);
    }

    private IConfiguration Configuration(string baseDir, string device = "cpu") => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Error",
        ["Silo:Name"] = "host-test",
        ["Silo:ClusterId"] = "host-test",
        ["Silo:SiloPort"] = FreePorts.Next().ToString(),
        ["Silo:GatewayPort"] = FreePorts.Next().ToString(),
        ["Silo:HttpUrl"] = "http://127.0.0.1:0",
        ["Silo:Lanes:0:Name"] = "lane0",
        ["Silo:Lanes:0:Device"] = device,
        ["Silo:Lanes:0:Base"] = baseDir,
        ["Silo:Lanes:0:Guide"] = fixture.Models.GuideDir,
    }).Build();
}

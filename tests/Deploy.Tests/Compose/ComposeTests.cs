using YamlDotNet.RepresentationModel;

namespace EvalCluster.Deploy.Tests.Compose;

/// <summary>
/// docker-compose.yml as Debian's docker-compose 1.29 reads it (no Docker engine runs here): it validates, and the
/// resolved file (with the gpu profile) has the services, GPU reservation, TLS and mounts the deployment relies on.
/// </summary>
public sealed class ComposeTests
{
    [Fact]
    public async Task Docker_compose_config_validates_the_file()
    {
        var (code, output) = await ChildProcess.RunAsync("docker-compose", ["config", "-q"], RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "docker-compose config -q failed:\n" + output);
    }

    [Fact]
    public async Task One_silo_reserves_a_gpu_and_the_other_runs_on_cpu()
    {
        var services = await ServicesAsync();
        var gpu = (YamlMappingNode)services["silo-a"];
        var device = (YamlMappingNode)((YamlSequenceNode)Path(gpu, "deploy", "resources", "reservations", "devices"))[0];
        Assert.Equal("nvidia", device["driver"].ToString());
        Assert.Contains("gpu", ((YamlSequenceNode)device["capabilities"]).Select(c => c.ToString()));
        Assert.Equal("cuda:0", Env(gpu, "Silo__Lanes__0__Device"));
        Assert.Equal("cuda", Path(gpu, "build", "args", "VARIANT").ToString());
        Assert.Contains("gpu", ((YamlSequenceNode)gpu["profiles"]).Select(p => p.ToString()));

        var cpu = (YamlMappingNode)services["silo-b"];
        Assert.False(cpu.Children.ContainsKey("deploy"));
        Assert.False(cpu.Children.ContainsKey("profiles"));
        Assert.Equal("cpu", Env(cpu, "Silo__Lanes__0__Device"));
        Assert.Equal("cpu", Path(cpu, "build", "args", "VARIANT").ToString());
    }

    [Fact]
    public async Task Members_use_redis_membership_mutual_tls_and_mounted_models()
    {
        var services = await ServicesAsync();
        foreach (var name in new[] { "silo-a", "silo-b" })
        {
            var silo = (YamlMappingNode)services[name];
            Assert.Equal("redis", Env(silo, "Silo__Clustering"));
            Assert.Equal("redis", Env(silo, "Silo__Storage"));
            Assert.Equal("/certs/tls.crt", Env(silo, "Silo__Tls__CertificatePath"));
            Assert.Equal("/certs/tls.key", Env(silo, "Silo__Tls__KeyPath"));
            Assert.Equal("/certs/ca.crt", Env(silo, "Silo__Tls__CaPath"));
            Assert.Equal("service_completed_successfully", Path(silo, "depends_on", "certs", "condition").ToString());
            Assert.Contains(Volumes(silo), v => v.EndsWith(":/models:ro", StringComparison.Ordinal));
            // The advertised address is the container's fixed address on the cluster network.
            Assert.Equal(Path(silo, "networks", "cluster", "ipv4_address").ToString(), Env(silo, "Silo__AdvertisedAddress"));
        }
        var coordinator = (YamlMappingNode)services["coordinator"];
        var command = ((YamlSequenceNode)coordinator["command"]).Select(c => c.ToString()).ToList();
        Assert.Equal("run", command[0]);
        Assert.Equal("redis://redis:6379", command[command.IndexOf("--cluster") + 1]);
        Assert.Equal("/certs/tls.crt", Env(coordinator, "EVALCLUSTER_TLS_CERT"));
        Assert.Equal("service_healthy", Path(coordinator, "depends_on", "silo-b", "condition").ToString());
        Assert.Contains(Volumes(coordinator), v => v.EndsWith(":/runs:rw", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prometheus_and_grafana_get_the_repository_files()
    {
        var services = await ServicesAsync();
        Assert.Contains(Volumes((YamlMappingNode)services["prometheus"]), v => v.StartsWith(RepoPaths.File("deploy", "prometheus", "prometheus-compose.yml") + ":", StringComparison.Ordinal));
        var grafana = Volumes((YamlMappingNode)services["grafana"]);
        Assert.Contains(grafana, v => v.StartsWith(RepoPaths.File("deploy", "grafana", "evalcluster.json") + ":", StringComparison.Ordinal));
        Assert.Contains(grafana, v => v.StartsWith(RepoPaths.File("deploy", "grafana", "provisioning") + ":/etc/grafana/provisioning", StringComparison.Ordinal));
        Assert.True(File.Exists(RepoPaths.File("deploy", "grafana", "provisioning", "datasources", "prometheus.yml")));
        Assert.True(File.Exists(RepoPaths.File("deploy", "grafana", "provisioning", "dashboards", "evalcluster.yml")));
    }

    private static async Task<YamlMappingNode> ServicesAsync()
    {
        var (code, output) = await ChildProcess.RunAsync("docker-compose", ["--profile", "gpu", "config"], RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, "docker-compose config failed:\n" + output);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static YamlNode Path(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate((YamlNode)node, (n, k) => ((YamlMappingNode)n)[k]);

    private static string Env(YamlMappingNode service, string name) => Path(service, "environment", name).ToString();

    private static List<string> Volumes(YamlMappingNode service) => [.. ((YamlSequenceNode)service["volumes"]).Select(v => v.ToString())];
}

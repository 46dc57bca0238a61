using YamlDotNet.RepresentationModel;

namespace EvalCluster.Deploy.Tests.Prometheus;

/// <summary>The Prometheus scrape configurations pass promtool; every silo target carries the silo label the dashboard filters on.</summary>
public sealed class ScrapeConfigTests
{
    public static TheoryData<string> PromtoolChecked => new() { "prometheus.yml", "prometheus-compose.yml" };

    [Theory]
    [MemberData(nameof(PromtoolChecked))]
    public async Task Promtool_accepts_the_scrape_configuration(string file)
    {
        var (code, output) = await ChildProcess.RunAsync("promtool", ["check", "config", RepoPaths.File("deploy", "prometheus", file)], RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"promtool check config {file}:\n{output}");
    }

    [Theory]
    [MemberData(nameof(PromtoolChecked))]
    public void Every_static_silo_target_has_a_silo_label(string file)
    {
        var configs = ScrapeConfigs(file).SelectMany(c => (YamlSequenceNode)c["static_configs"]).Cast<YamlMappingNode>().ToList();
        Assert.NotEmpty(configs);
        Assert.All(configs, c => Assert.False(string.IsNullOrEmpty(((YamlMappingNode)c["labels"])["silo"].ToString())));
    }

    // Debian's Prometheus 2.42 (and its promtool) is built without Kubernetes service discovery, so this file is
    // checked for what the dashboard needs instead: annotated pods kept, the pod name as the silo label.
    [Fact]
    public void The_kubernetes_configuration_keeps_annotated_pods_and_labels_them_with_the_pod_name()
    {
        var job = Assert.Single(ScrapeConfigs("prometheus-k8s.yml"));
        var sd = (YamlMappingNode)((YamlSequenceNode)job["kubernetes_sd_configs"])[0];
        Assert.Equal("pod", sd["role"].ToString());
        var relabel = ((YamlSequenceNode)job["relabel_configs"]).Cast<YamlMappingNode>().ToList();
        Assert.Contains(relabel, r => Field(r, "action") == "keep" && Field(r, "source_labels").Contains("__meta_kubernetes_pod_annotation_prometheus_io_scrape"));
        Assert.Contains(relabel, r => Field(r, "target_label") == "silo" && Field(r, "source_labels").Contains("__meta_kubernetes_pod_name"));
    }

    private static string Field(YamlMappingNode node, string key) => node.Children.TryGetValue(key, out var v) ? v.ToString() : "";

    private static IEnumerable<YamlMappingNode> ScrapeConfigs(string file)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepoPaths.File("deploy", "prometheus", file))));
        return ((YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["scrape_configs"]).Cast<YamlMappingNode>();
    }
}

using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace EvalCluster.Deploy.Tests.Kubernetes;

/// <summary>
/// Renders each overlay of deploy/k8s with kubectl kustomize and loads every object with KubernetesClient's typed
/// models in strict mode (a misspelt field fails), then checks what the deployment relies on.
/// </summary>
public sealed class KustomizeTests
{
    public static TheoryData<string> Overlays => new() { "gpu", "cpu" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_rendered_object_loads_into_a_typed_model_with_no_unknown_field(string overlay)
    {
        var objects = await RenderAsync(overlay);

        Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o));
        var kinds = objects.Cast<IKubernetesObject>().Select(o => o.Kind).ToHashSet();
        foreach (var kind in new[] { "Namespace", "ServiceAccount", "Role", "RoleBinding", "StatefulSet", "Service", "PodDisruptionBudget", "Job", "PersistentVolumeClaim", "NetworkPolicy", "Deployment" })
        {
            Assert.Contains(kind, kinds);
        }
        Assert.All(objects.Cast<IMetadata<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal("evalcluster", o.Metadata.NamespaceProperty));
    }

    [Fact]
    public async Task A_misspelt_field_fails_to_load()
    {
        var yaml = await RenderYamlAsync("cpu");
        var misspelt = yaml.Replace("readinessProbe:", "readinesProbe:", StringComparison.Ordinal);
        Assert.NotEqual(yaml, misspelt);
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(misspelt, strict: true));
    }

    [Fact]
    public async Task The_gpu_overlay_gives_each_silo_one_gpu_on_gpu_nodes_and_the_cuda_image()
    {
        var silo = Single<V1StatefulSet>(await RenderAsync("gpu"), "evalcluster-silo");
        var pod = silo.Spec.Template.Spec;
        var container = pod.Containers.Single(c => c.Name == "silo");

        Assert.Equal("1", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.EndsWith(":cuda", container.Image, StringComparison.Ordinal);
        Assert.Equal("true", pod.NodeSelector["nvidia.com/gpu.present"]);
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
        Assert.Equal("cuda:0", Env(container, "Silo__Lanes__0__Device"));
    }

    [Fact]
    public async Task The_cpu_overlay_asks_for_no_gpu_and_mounts_models_from_the_node()
    {
        var objects = await RenderAsync("cpu");
        var silo = Single<V1StatefulSet>(objects, "evalcluster-silo");
        var container = silo.Spec.Template.Spec.Containers.Single(c => c.Name == "silo");

        Assert.False(container.Resources.Limits?.ContainsKey("nvidia.com/gpu") ?? false);
        Assert.EndsWith(":cpu", container.Image, StringComparison.Ordinal);
        Assert.Equal("cpu", Env(container, "Silo__Lanes__0__Device"));
        var models = silo.Spec.Template.Spec.Volumes.Single(v => v.Name == "models");
        Assert.Equal("/models", models.HostPath?.Path);
        Assert.Null(models.PersistentVolumeClaim);
        Assert.DoesNotContain(objects.OfType<V1PersistentVolumeClaim>(), c => c.Metadata.Name == "evalcluster-models");
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Silo_pods_carry_what_orleans_kubernetes_hosting_needs(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var silo = Single<V1StatefulSet>(objects, "evalcluster-silo");
        var template = silo.Spec.Template;
        var container = template.Spec.Containers.Single(c => c.Name == "silo");

        // Labels Orleans reads, and the downward-API environment it expects.
        Assert.Equal("evalcluster", template.Metadata.Labels["orleans/clusterId"]);
        Assert.Equal("evalcluster", template.Metadata.Labels["orleans/serviceId"]);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", container.Env.Single(e => e.Name == "POD_NAMESPACE").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", container.Env.Single(e => e.Name == "POD_IP").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/clusterId']", container.Env.Single(e => e.Name == "ORLEANS_CLUSTER_ID").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.labels['orleans/serviceId']", container.Env.Single(e => e.Name == "ORLEANS_SERVICE_ID").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("kubernetes", Env(container, "Silo__Clustering"));
        Assert.Equal("redis", Env(container, "Silo__Storage"));
        Assert.Equal("true", Env(container, "Silo__ListenOnAnyAddress"));

        // RBAC: the service account may watch and delete pods in its namespace, as Kubernetes hosting does.
        var account = template.Spec.ServiceAccountName;
        var binding = Assert.Single(objects.OfType<V1RoleBinding>(), b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == account));
        var role = Single<V1Role>(objects, binding.RoleRef.Name);
        var pods = Assert.Single(role.Rules, r => r.Resources.Contains("pods"));
        Assert.Equal(["delete", "get", "list", "patch", "watch"], pods.Verbs.Order());
        Assert.Contains(objects.OfType<V1ServiceAccount>(), a => a.Metadata.Name == account);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Silo_probes_hit_health_and_the_pods_run_as_non_root_with_resources(string overlay)
    {
        var silo = Single<V1StatefulSet>(await RenderAsync(overlay), "evalcluster-silo");
        var container = silo.Spec.Template.Spec.Containers.Single(c => c.Name == "silo");
        var http = container.Ports.Single(p => p.Name == "http").ContainerPort;

        foreach (var probe in new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe })
        {
            Assert.NotNull(probe);
            Assert.Equal("/health", probe.HttpGet.Path);
            Assert.Equal("http", probe.HttpGet.Port.Value);
        }
        Assert.Equal(9464, http);
        Assert.Equal($"http://0.0.0.0:{http}", Env(container, "Silo__HttpUrl"));
        Assert.True(silo.Spec.Template.Spec.SecurityContext.RunAsNonRoot);
        Assert.NotEqual(0, silo.Spec.Template.Spec.SecurityContext.RunAsUser);
        Assert.True(container.Resources.Requests.ContainsKey("cpu") && container.Resources.Requests.ContainsKey("memory"));
        Assert.Equal("true", silo.Spec.Template.Metadata.Annotations["prometheus.io/scrape"]);
        Assert.Equal(http.ToString(), silo.Spec.Template.Metadata.Annotations["prometheus.io/port"]);
        Assert.Contains(container.VolumeMounts, m => m.Name == "models" && m.MountPath == "/models" && m.ReadOnlyProperty == true);
        Assert.StartsWith("/models/", Env(container, "Silo__Lanes__0__Base"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Silos_and_the_coordinator_present_certificates_from_the_tls_secret(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var silo = Single<V1StatefulSet>(objects, "evalcluster-silo").Spec.Template.Spec;
        var job = Single<V1Job>(objects, "evalcluster-run").Spec.Template.Spec;

        foreach (var (pod, prefix) in new[] { (silo, "Silo__Tls__"), (job, "EVALCLUSTER_TLS_") })
        {
            var volume = pod.Volumes.Single(v => v.Secret?.SecretName == "evalcluster-tls");
            var container = Assert.Single(pod.Containers);
            var mount = container.VolumeMounts.Single(m => m.Name == volume.Name);
            Assert.True(mount.ReadOnlyProperty);
            var files = container.Env.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Value).Order().ToList();
            Assert.Equal([$"{mount.MountPath}/ca.crt", $"{mount.MountPath}/tls.crt", $"{mount.MountPath}/tls.key"], files);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_coordinator_job_joins_through_redis_and_writes_its_run_folder_to_a_claim(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var job = Single<V1Job>(objects, "evalcluster-run");
        var pod = job.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);
        var args = container.Args.ToList();

        Assert.Equal("run", args[0]);
        Assert.StartsWith("redis://", args[args.IndexOf("--cluster") + 1], StringComparison.Ordinal);
        Assert.Contains("--resume", args);
        var outDir = args[args.IndexOf("--out") + 1];
        var runs = container.VolumeMounts.Single(m => m.MountPath == outDir);
        var claim = pod.Volumes.Single(v => v.Name == runs.Name).PersistentVolumeClaim.ClaimName;
        Assert.Contains(objects.OfType<V1PersistentVolumeClaim>(), c => c.Metadata.Name == claim);
        Assert.Equal("true", job.Spec.Template.Metadata.Labels["evalcluster/member"]);
        Assert.NotEqual("Always", pod.RestartPolicy);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Only_members_reach_silo_gateway_and_redis_ports_and_a_budget_keeps_silos_up(string overlay)
    {
        var objects = await RenderAsync(overlay);
        var silo = Single<V1StatefulSet>(objects, "evalcluster-silo");
        var siloLabels = silo.Spec.Template.Metadata.Labels;
        var policy = Assert.Single(objects.OfType<V1NetworkPolicy>(), p => Selects(p.Spec.PodSelector, siloLabels));
        Assert.Contains("Ingress", policy.Spec.PolicyTypes);
        var fromMembers = policy.Spec.Ingress.ToLookup(r => r.FromProperty.All(IsMember));
        Assert.Equal(["11111", "30000"], fromMembers[true].SelectMany(r => r.Ports.Select(p => p.Port.Value)).Order());
        // Anyone else (Prometheus) reaches only the metrics port.
        Assert.All(fromMembers[false].SelectMany(r => r.Ports), p => Assert.Equal("9464", p.Port.Value));
        Assert.Equal("true", siloLabels["evalcluster/member"]);

        var redis = Single<V1Deployment>(objects, "redis");
        var redisPolicy = Assert.Single(objects.OfType<V1NetworkPolicy>(), p => Selects(p.Spec.PodSelector, redis.Spec.Template.Metadata.Labels));
        Assert.All(redisPolicy.Spec.Ingress.SelectMany(r => r.FromProperty), f => Assert.True(IsMember(f)));

        var pdb = Assert.Single(objects.OfType<V1PodDisruptionBudget>());
        Assert.True(Selects(pdb.Spec.Selector, siloLabels));
        Assert.True(pdb.Spec.MaxUnavailable is not null || pdb.Spec.MinAvailable is not null);
        var service = Single<V1Service>(objects, silo.Spec.ServiceName);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.True(Selects(new V1LabelSelector { MatchLabels = service.Spec.Selector }, siloLabels));
    }

    private static bool IsMember(V1NetworkPolicyPeer peer) =>
        peer.NamespaceSelector is null && peer.PodSelector?.MatchLabels is { } labels
        && labels.TryGetValue("evalcluster/member", out var member) && member == "true";

    private static bool Selects(V1LabelSelector selector, IDictionary<string, string> labels) =>
        selector.MatchLabels is { Count: > 0 } match && match.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static string Env(V1Container container, string name) => container.Env.Single(e => e.Name == name).Value;

    private static T Single<T>(IEnumerable<object> objects, string name)
        where T : IMetadata<V1ObjectMeta> =>
        Assert.Single(objects.OfType<T>(), o => o.Metadata.Name == name);

    private static async Task<List<object>> RenderAsync(string overlay) =>
        KubernetesYaml.LoadAllFromString(await RenderYamlAsync(overlay), strict: true);

    // Rendered once per overlay for all tests of the class (kubectl takes a second or two per call).
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Rendered = new();

    private static Task<string> RenderYamlAsync(string overlay) =>
        Rendered.GetOrAdd(overlay, o => new Lazy<Task<string>>(() => KustomizeAsync(o))).Value;

    private static async Task<string> KustomizeAsync(string overlay)
    {
        var (code, output) = await ChildProcess.RunAsync("kubectl", ["kustomize", RepoPaths.File("deploy", "k8s", "overlays", overlay)], RepoPaths.Root, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"kubectl kustomize deploy/k8s/overlays/{overlay} failed:\n{output}");
        return output;
    }
}

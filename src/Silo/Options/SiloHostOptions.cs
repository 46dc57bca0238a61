namespace EvalCluster.Silo.Options;

/// <summary>The silo host (configuration section "Silo"): identity, clustering, storage, endpoints and lanes.</summary>
public sealed class SiloHostOptions
{
    public const string Section = "Silo";

    /// <summary>Silo name, unique in the cluster; lane ids start with it. Defaults to the machine name.</summary>
    public string Name { get; set; } = Environment.MachineName;

    public string ClusterId { get; set; } = "evalcluster";

    public string ServiceId { get; set; } = "evalcluster";

    /// <summary><c>localhost</c> (development: one machine, first silo is primary). Redis and Kubernetes come later.</summary>
    public string Clustering { get; set; } = "localhost";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo-to-silo port of the primary silo (localhost clustering); defaults to this silo's own.</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary><c>memory</c> now; the seam for a durable store.</summary>
    public string Storage { get; set; } = "memory";

    /// <summary>Where /metrics and /health listen; empty disables the HTTP endpoint.</summary>
    public string HttpUrl { get; set; } = "http://127.0.0.1:9464";

    public List<LaneOptions> Lanes { get; set; } = [];
}

namespace EvalCluster.Silo.Options;

/// <summary>
/// The silo host (configuration section "Silo"): identity, membership, storage, endpoints, TLS and lanes.
/// Every key is bound or refused: an unknown key under "Silo" fails at start (see <see cref="SiloConfiguration"/>).
/// </summary>
public sealed class SiloHostOptions
{
    public const string Section = "Silo";

    /// <summary>Silo name, unique in the cluster; lane ids start with it. Defaults to the machine name (the pod name under kubernetes).</summary>
    public string Name { get; set; } = Environment.MachineName;

    public string ClusterId { get; set; } = "evalcluster";

    public string ServiceId { get; set; } = "evalcluster";

    /// <summary>
    /// <c>localhost</c> (development: one machine, the silo on <see cref="PrimarySiloPort"/> is special),
    /// <c>redis</c> (membership in Redis: no silo is special) or <c>kubernetes</c> (pod identity from the downward
    /// API, membership in Redis).
    /// </summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary>Grain storage for run ledgers: <c>memory</c> (lost with the silo that holds it) or <c>redis</c>.</summary>
    public string Storage { get; set; } = "memory";

    /// <summary>StackExchange.Redis connection string for redis/kubernetes clustering and redis storage.</summary>
    public string Redis { get; set; } = "";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo-to-silo port of the primary silo (localhost clustering only); defaults to this silo's own.</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>The IP address other silos and clients reach this silo at (redis clustering).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface (containers) instead of the advertised address only.</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>Where /metrics and /health listen; empty disables the HTTP endpoint.</summary>
    public string HttpUrl { get; set; } = "http://127.0.0.1:9464";

    /// <summary>Mutual TLS between silos and with clients; on when a certificate path is set.</summary>
    public TlsFileOptions Tls { get; set; } = new();

    /// <summary>Failure-detection timings (Orleans' ClusterMembershipOptions); unset values keep Orleans' defaults.</summary>
    public MembershipTimingOptions Membership { get; set; } = new();

    public List<LaneOptions> Lanes { get; set; } = [];
}

/// <summary>Certificate files for mutual TLS ("Silo:Tls"); the coordinator's --tls-* options name the same three.</summary>
public sealed class TlsFileOptions
{
    /// <summary>PEM certificate (with <see cref="KeyPath"/>) or a PKCS#12 .pfx/.p12 holding its key.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM private key of the certificate; empty for .pfx.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>PEM CA certificate every peer's certificate must chain to.</summary>
    public string CaPath { get; set; } = "";

    public bool Enabled => CertificatePath.Length > 0;
}

/// <summary>
/// How fast a dead silo is declared dead ("Silo:Membership"). Orleans' defaults suit a data centre; tests and
/// preemptible fleets shorten them. Values map 1:1 onto Orleans' ClusterMembershipOptions.
/// </summary>
public sealed class MembershipTimingOptions
{
    public TimeSpan? ProbeTimeout { get; set; }

    public int? NumMissedProbesLimit { get; set; }

    public int? NumVotesForDeathDeclaration { get; set; }

    public TimeSpan? TableRefreshTimeout { get; set; }

    public TimeSpan? IAmAliveTablePublishTimeout { get; set; }

    public TimeSpan? DeathVoteExpirationTimeout { get; set; }
}

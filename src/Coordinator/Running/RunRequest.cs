namespace EvalCluster.Coordinator.Running;

/// <summary>The `run` command's resolved settings (defaults filled in, paths as given).</summary>
public sealed record RunRequest
{
    public required string RunId { get; init; }
    public required IReadOnlyList<string> Tasks { get; init; }
    public required IReadOnlyList<string> Arms { get; init; }
    public required string TasksDir { get; init; }
    public required string DataDir { get; init; }
    public required string Base { get; init; }
    public required string Guide { get; init; }
    public string? Reference { get; init; }
    public string? Calibration { get; init; }
    public int Samples { get; init; } = 1;
    public int? Limit { get; init; }
    public long Seed { get; init; }
    public float Temperature { get; init; }
    public float TopP { get; init; } = 1f;
    public int? MaxNewTokens { get; init; }
    public int? Cap { get; init; }
    public required string OutDir { get; init; }
    public bool Resume { get; init; }

    /// <summary>Delete an existing run folder of the same id first.</summary>
    public bool Fresh { get; init; }

    /// <summary>Refuse (instead of warning about) a calibration made on another task or prompt template.</summary>
    public bool Strict { get; init; }

    /// <summary>Log what the run does (and the embedded silo's own log) to stderr.</summary>
    public bool Verbose { get; init; }

    /// <summary>Spike ratio of the bare `guided` arm (an entry of a multi-r calibration file); null: the file's first entry.</summary>
    public double? R { get; init; }
    public string Cluster { get; init; } = "embedded";
    /// <summary>Generations in flight per lane; 0: each lane's batch size (<see cref="EvalCluster.Contracts.Lanes.LaneInfo.MaxBatch"/>).</summary>
    public int MaxInFlightPerLane { get; init; }
    /// <summary>Client certificate files for a TLS cluster (--tls-cert/--tls-key/--tls-ca); empty: no TLS.</summary>
    public EvalCluster.Silo.Options.TlsFileOptions Tls { get; init; } = new();
    /// <summary>Keep each sample's per-token trace in samples.jsonl (--token-traces, on by default).</summary>
    public bool TokenTraces { get; init; } = true;
    /// <summary>What the cluster's lanes serve (cluster mode); null in embedded mode, where --base/--guide are served.</summary>
    public ServedModels? Served { get; init; }
}

using System.ComponentModel;
using EvalCluster.Coordinator.Running;
using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>
/// `run`: evaluates tasks x problems x samples x arms on a cluster (embedded by default) and writes the run
/// folder OUT/RUN_ID/. With no arguments it runs the shipped toy model pair on the toy-plan task.
/// </summary>
public sealed class RunCommand : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--task <NAME>")]
        [Description("Task name (repeatable; default toy-plan). List them with `ls tasks`.")]
        public string[] Tasks { get; init; } = [];

        [CommandOption("--arms <LIST>")]
        [Description("Comma-separated arms: base, guide, reference (needs --reference), guided, random[[@RHO]], early[[@RHO]], entropy@H, nudging@G.")]
        public string Arms { get; init; } = "base,guide,guided,random";

        [CommandOption("--samples <N>")]
        [Description("Samples per problem and arm (the n of mean@n).")]
        public int Samples { get; init; } = 1;

        [CommandOption("-k <K>")]
        [Description("Largest k reported for pass@k and maj@k (recorded; reports use powers of two up to --samples).")]
        public int? K { get; init; }

        [CommandOption("--limit <N>")]
        [Description("First N problems of each task.")]
        public int? Limit { get; init; }

        [CommandOption("--seed <S>")]
        public long Seed { get; init; }

        [CommandOption("--temperature <T>")]
        [Description("Sampling temperature (0: greedy).")]
        public float Temperature { get; init; }

        [CommandOption("--top-p <P>")]
        public float TopP { get; init; } = 1f;

        [CommandOption("--max-new-tokens <M>")]
        [Description("Token limit per response (default: the task's).")]
        public int? MaxNewTokens { get; init; }

        [CommandOption("-r <R>")]
        [Description("Spike ratio; needs a calibration for r made by `calibrate` (pass it with --calibration).")]
        public double? R { get; init; }

        [CommandOption("--calibration <FILE>")]
        [Description("Calibration JSON for guided arms (default models/toy/calibration.json when present).")]
        public string? Calibration { get; init; }

        [CommandOption("--cap <C>")]
        [Description("Hard cap on takeovers per response.")]
        public int? Cap { get; init; }

        [CommandOption("--base <DIR>")]
        public string Base { get; init; } = "models/toy/base";

        [CommandOption("--guide <DIR>")]
        public string Guide { get; init; } = "models/toy/guide";

        [CommandOption("--reference <DIR>")]
        [Description("Reference model folder (embedded lane), run alone with the guide's chat template by the reference arm.")]
        public string? Reference { get; init; }

        [CommandOption("--tasks-dir <DIR>")]
        [Description("Folder of task YAML files (default: the repository's tasks/).")]
        public string? TasksDir { get; init; }

        [CommandOption("--data-dir <DIR>")]
        [Description("Dataset folder (default ./data or $EVALCLUSTER_DATA_DIR).")]
        public string? DataDir { get; init; }

        [CommandOption("--out <DIR>")]
        public string Out { get; init; } = "runs";

        [CommandOption("--run-id <ID>")]
        [Description("Run id (default: derived from the settings' hash, so repeating a command resumes it).")]
        public string? RunId { get; init; }

        [CommandOption("--resume")]
        [Description("Finish an existing run folder, skipping finished keys.")]
        public bool Resume { get; init; }

        [CommandOption("--cluster <TARGET>")]
        [Description("embedded (a silo in this process, one CPU lane), HOST:PORT of a silo gateway, or redis://HOST:PORT (every gateway from Redis membership; survives any silo's death).")]
        public string Cluster { get; init; } = "embedded";

        [CommandOption("--tls-cert <FILE>")]
        [Description("Client certificate (PEM, or .pfx) for a TLS cluster (default $EVALCLUSTER_TLS_CERT).")]
        public string? TlsCert { get; init; }

        [CommandOption("--tls-key <FILE>")]
        [Description("PEM private key of --tls-cert (default $EVALCLUSTER_TLS_KEY).")]
        public string? TlsKey { get; init; }

        [CommandOption("--tls-ca <FILE>")]
        [Description("PEM CA certificate the silos' certificates chain to (default $EVALCLUSTER_TLS_CA).")]
        public string? TlsCa { get; init; }

        [CommandOption("--token-traces")]
        [Description("Keep each sample's per-token trace (sources, scores, text ends) in samples.jsonl (default on).")]
        public bool? TokenTraces { get; init; }

        [CommandOption("--no-token-traces")]
        [Description("Leave the per-token traces out of samples.jsonl.")]
        public bool NoTokenTraces { get; init; }

        [CommandOption("--max-in-flight <N>")]
        [Description("Generations in flight per lane.")]
        public int MaxInFlight { get; init; } = 32;
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(Resolve(settings), stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs a resolved request; returns 0 when complete, 130 when stopped early (resumable).</summary>
    public static async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken)
    {
        // A separately started cluster is asked first what its lanes serve: the manifest and the calibration check use that.
        await using var remote = request.Cluster == "embedded" ? null : await ClusterSession.ConnectAsync(request.Cluster, request.Tls, cancellationToken);
        var remoteLanes = remote is null ? null : await remote.DiscoverLanesAsync();
        if (remoteLanes is { Count: > 0 })
        {
            request = request with { Served = ServedModels.From(remoteLanes) };
        }
        var inputs = RunInputs.Build(request);
        if (request.RunId.Length == 0)
        {
            request = request with { RunId = "run-" + inputs.ManifestHash[..10] };
            inputs = RunInputs.Build(request);
        }
        var path = Path.Combine(request.OutDir, request.RunId);
        if (File.Exists(Path.Combine(path, RunFolder.ManifestFile)) && !request.Resume)
        {
            throw new ArgumentException($"{path}: the run folder exists; pass --resume to finish it or --run-id NEW for a new run.");
        }
        await using var embedded = remote is null
            ? await ClusterSession.StartEmbeddedAsync(new EmbeddedLane(request.Base, request.Guide, request.Reference), cancellationToken)
            : null;
        var cluster = remote ?? embedded!;
        if (cluster.MetricsUrl is not null)
        {
            Console.WriteLine($"metrics: {cluster.MetricsUrl}");
        }
        var lanes = remoteLanes ?? await cluster.DiscoverLanesAsync();
        if (lanes.Count == 0)
        {
            throw new ArgumentException($"--cluster {request.Cluster}: the cluster has no lanes; configure Silo:Lanes on at least one silo.");
        }
        // Before the run folder exists: a lane that cannot serve an arm must not leave a half-started run behind.
        LaneRequirements.Check(lanes, request.Arms);
        using var folder = RunFolder.CreateOrResume(path, inputs.Manifest);
        AnsiConsole.MarkupLine($"run [bold]{Markup.Escape(request.RunId)}[/]: {inputs.Requests.Count} generations on {lanes.Count} lane(s) -> {Markup.Escape(path)}");
        RunDriver? driver = null;
        try
        {
            await AnsiConsole.Progress().AutoClear(false).StartAsync(ctx =>
                (driver = new RunDriver(cluster, inputs, folder, new ArmProgressView(ctx), request.MaxInFlightPerLane)).RunAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine($"stopped: {folder.ReadSamples().Count} of {inputs.Requests.Count} done; finish with the same command and [bold]--resume[/].");
            return 130;
        }
        if (driver is { Redispatched: > 0 } d)
        {
            Console.Error.WriteLine($"re-dispatched {d.Redispatched} key(s) whose lane was lost");
        }
        var summary = RunReporter.Write(folder);
        AnsiConsole.Write(SummaryTable.Render(summary));
        AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
        return 0;
    }

    private static EvalCluster.Silo.Options.TlsFileOptions ResolveTls(Settings s)
    {
        if (s.Cluster == "embedded")
        {
            // Embedded mode has no network peers; the environment's TLS files are for a separately started cluster.
            return (s.TlsCert ?? s.TlsKey ?? s.TlsCa) is null
                ? new()
                : throw new ArgumentException("--tls-* options are for a separately started TLS cluster; embedded mode has no network peers (drop them).");
        }
        var tls = new EvalCluster.Silo.Options.TlsFileOptions
        {
            CertificatePath = s.TlsCert ?? Environment.GetEnvironmentVariable("EVALCLUSTER_TLS_CERT") ?? "",
            KeyPath = s.TlsKey ?? Environment.GetEnvironmentVariable("EVALCLUSTER_TLS_KEY") ?? "",
            CaPath = s.TlsCa ?? Environment.GetEnvironmentVariable("EVALCLUSTER_TLS_CA") ?? "",
        };
        if (tls.Enabled != (tls.CaPath.Length > 0))
        {
            throw new ArgumentException("--tls-cert and --tls-ca go together (and --tls-key for a PEM certificate); pass all of them, or none.");
        }
        foreach (var (option, path) in new[] { ("--tls-cert", tls.CertificatePath), ("--tls-key", tls.KeyPath), ("--tls-ca", tls.CaPath) })
        {
            if (path.Length > 0 && !File.Exists(path))
            {
                throw new ArgumentException($"{option} {path}: file not found.");
            }
        }
        return tls;
    }

    public static RunRequest Resolve(Settings s)
    {
        var calibration = s.Calibration ?? (File.Exists("models/toy/calibration.json") ? "models/toy/calibration.json" : null);
        if (s.R is not null && s.Calibration is null)
        {
            throw new ArgumentException($"-r {s.R}: the gate's tau and lambda for r come from a calibration; run `evalcluster calibrate` for r = {s.R} and pass its file with --calibration.");
        }
        return new RunRequest
        {
            RunId = s.RunId ?? "",
            Tasks = s.Tasks.Length == 0 ? ["toy-plan"] : s.Tasks,
            Arms = ArmList.Split(s.Arms),
            TasksDir = s.TasksDir ?? TaskRegistry.FindDefaultDirectory(),
            DataDir = DataDirectory.Resolve(s.DataDir),
            Base = s.Base,
            Guide = s.Guide,
            Reference = s.Reference,
            Calibration = calibration,
            Samples = s.Samples,
            Limit = s.Limit,
            Seed = s.Seed,
            Temperature = s.Temperature,
            TopP = s.TopP,
            MaxNewTokens = s.MaxNewTokens,
            Cap = s.Cap,
            OutDir = s.Out,
            Resume = s.Resume,
            Cluster = s.Cluster,
            MaxInFlightPerLane = s.MaxInFlight,
            Tls = ResolveTls(s),
            TokenTraces = s.TokenTraces == true && s.NoTokenTraces
                ? throw new ArgumentException("--token-traces and --no-token-traces contradict each other; pass one.")
                : !s.NoTokenTraces,
        };
    }
}

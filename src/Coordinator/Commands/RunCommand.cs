using System.ComponentModel;
using EvalCluster.Coordinator.Logging;
using EvalCluster.Coordinator.Running;
using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;
using EvalCluster.Inference;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
        [Description("Comma-separated arms (default base,guide,guided,random): base, guide, reference (needs --reference), guided[[@r=R]], random[[@RHO]], random@match, early@RHO, early@match, entropy@H, nudging@G.")]
        public string Arms { get; init; } = "base,guide,guided,random";

        [CommandOption("--samples <N>")]
        [Description("Samples per problem and arm, the n of mean@n (default 1; at least 1).")]
        public int Samples { get; init; } = 1;

        [CommandOption("-k <K>")]
        [Description("Largest k reported for pass@k and maj@k (default --samples; 1..--samples).")]
        public int? K { get; init; }

        [CommandOption("--limit <N>")]
        [Description("First N problems of each task (default all; at least 1).")]
        public int? Limit { get; init; }

        [CommandOption("--seed <S>")]
        [Description("Run seed; every sample's seed derives from it, the problem, the sample and the arm (default 0).")]
        public long Seed { get; init; }

        [CommandOption("--temperature <T>")]
        [Description("Sampling temperature, 0 = greedy (default 0; 0..100).")]
        public float Temperature { get; init; }

        [CommandOption("--top-p <P>")]
        [Description("Nucleus sampling mass (default 1; 0 < P <= 1).")]
        public float TopP { get; init; } = 1f;

        [CommandOption("--max-new-tokens <M>")]
        [Description("Token limit per response (default: the task's generation.max_new_tokens; at least 1).")]
        public int? MaxNewTokens { get; init; }

        [CommandOption("-r <R>")]
        [Description("Spike ratio of the bare guided arm: picks the entry for r from the calibration file (default: its only or first entry; 0 < R < 1).")]
        public double? R { get; init; }

        [CommandOption("--calibration <FILE>")]
        [Description("Calibration JSON for guided arms (default models/toy/calibration.json when present).")]
        public string? Calibration { get; init; }

        [CommandOption("--cap <C>")]
        [Description("Hard cap on takeovers per response (default none; at least 0).")]
        public int? Cap { get; init; }

        [CommandOption("--base <DIR>")]
        [Description("Base model folder of the embedded lane (default models/toy/base).")]
        public string Base { get; init; } = "models/toy/base";

        [CommandOption("--guide <DIR>")]
        [Description("Guide model folder of the embedded lane (default models/toy/guide).")]
        public string Guide { get; init; } = "models/toy/guide";

        [CommandOption("--reference <DIR>")]
        [Description("Reference model folder of the embedded lane, run alone with the guide's chat template by the reference arm (default none).")]
        public string? Reference { get; init; }

        [CommandOption("--tasks-dir <DIR>")]
        [Description("Folder of task YAML files (default: the repository's tasks/).")]
        public string? TasksDir { get; init; }

        [CommandOption("--data-dir <DIR>")]
        [Description("Dataset folder (default ./data or $EVALCLUSTER_DATA_DIR).")]
        public string? DataDir { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Folder that receives the run folder RUN_ID/ (default runs).")]
        public string Out { get; init; } = "runs";

        [CommandOption("--run-id <ID>")]
        [Description("Run id: letters, digits, '-', '_' and '.' (default: derived from the settings' hash, so repeating a command finishes or reprints it).")]
        public string? RunId { get; init; }

        [CommandOption("--resume")]
        [Description("Finish an existing run (the default when the run folder exists with the same settings); refused when the run folder does not exist.")]
        public bool Resume { get; init; }

        [CommandOption("--cluster <TARGET>")]
        [Description("embedded (default: a silo in this process, one CPU lane), HOST:PORT of a silo gateway, or redis://HOST:PORT (every gateway from Redis membership; survives any silo's death).")]
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
        [Description("Leave the per-token traces out of samples.jsonl (default off: traces are kept).")]
        public bool NoTokenTraces { get; init; }

        [CommandOption("--max-in-flight <N>")]
        [Description("Generations in flight per lane (default 0: each lane's batch size as its silo reports it, Batching:MaxBatchSize: 256 on CPU, 1,024 on CUDA unless set; 0..4096).")]
        public int MaxInFlight { get; init; }

        [CommandOption("--fresh")]
        [Description("Delete an existing run folder of the same run id first and start over (default off).")]
        public bool Fresh { get; init; }

        [CommandOption("--strict")]
        [Description("Refuse a calibration made on another task or prompt template instead of warning (default off).")]
        public bool Strict { get; init; }

        [CommandOption("-v|--verbose")]
        [Description("Log what the run does (inputs, cluster, dispatch) to stderr (default: warnings only).")]
        public bool Verbose { get; init; }

        public override ValidationResult Validate() => RunOptions.Check(this) is { } error
            ? ValidationResult.Error(error)
            : ValidationResult.Success();
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
        using var logs = StderrLoggerProvider.CreateFactory(settings.Verbose);
        try
        {
            return await RunAsync(Resolve(settings), stop.Token, logs.CreateLogger("run"));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// Runs a resolved request; returns 0 when complete (a finished run only reprints its table), 130 when stopped
    /// early (the same command finishes it). Every input is checked before a cluster starts or a folder is created.
    /// </summary>
    public static async Task<int> RunAsync(RunRequest request, CancellationToken cancellationToken, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        // A separately started cluster is asked first what its lanes serve: the manifest and the calibration check use that.
        await using var remote = request.Cluster == "embedded" ? null : await ClusterSession.ConnectAsync(request.Cluster, request.Tls, cancellationToken);
        var remoteLanes = remote is null ? null : await remote.DiscoverLanesAsync();
        if (remoteLanes is { Count: > 0 })
        {
            request = request with { Served = ServedModels.From(remoteLanes) };
        }
        var inputs = RunInputs.Build(request, logger);
        if (request.RunId.Length == 0)
        {
            request = request with { RunId = "run-" + inputs.ManifestHash[..10] };
            inputs = inputs.WithRunId(request.RunId);
        }
        var path = Path.Combine(request.OutDir, request.RunId);
        logger.Planned(request.RunId, inputs.Requests.Count, request.Tasks.Count, request.Arms.Count, inputs.ManifestHash);
        var exists = File.Exists(Path.Combine(path, RunFolder.ManifestFile));
        if (exists && request.Fresh)
        {
            logger.Fresh(request.RunId, path);
            Directory.Delete(path, recursive: true);
            exists = false;
        }
        if (!exists && request.Resume)
        {
            throw new ArgumentException($"{path}: no run to resume (manifest.json not found); drop --resume to start it.");
        }
        // An existing folder is opened before the cluster starts: a run with other settings is refused at once, and a
        // finished run reprints its table without loading any model.
        var folder = exists ? RunFolder.CreateOrResume(path, inputs.Manifest) : null;
        try
        {
            if (folder is not null)
            {
                var done = folder.CompletedKeys();
                folder.Problems.ToList().ForEach(logger.SampleFileProblem);
                logger.Resuming(request.RunId, path, done.Count, inputs.Requests.Count);
                if (inputs.Requests.All(r => done.Contains(SampleRecords.ToKey(r.Key))))
                {
                    logger.AlreadyFinished(request.RunId);
                    return Finish(folder, path);
                }
            }
            await using var embedded = remote is null
                ? await ClusterSession.StartEmbeddedAsync(new EmbeddedLane(request.Base, request.Guide, request.Reference) { Verbose = request.Verbose }, cancellationToken)
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
            logger.ClusterReady(request.Cluster, lanes.Count, string.Join(", ", lanes.Select(l => l.LaneId)));
            // Before the run folder exists: a lane that cannot serve an arm must not leave a half-started run behind.
            await LaneRequirements.CheckAsync(cluster.Grains, lanes, request.Arms);
            folder ??= RunFolder.CreateOrResume(path, inputs.Manifest);
            AnsiConsole.MarkupLine($"run [bold]{Markup.Escape(request.RunId)}[/]: {inputs.Requests.Count} generations on {lanes.Count} lane(s) -> {Markup.Escape(path)}");
            RunDriver? driver = null;
            try
            {
                await AnsiConsole.Progress().AutoClear(false).StartAsync(ctx =>
                    (driver = new RunDriver(cluster, inputs, folder, new ArmProgressView(ctx), request.MaxInFlightPerLane)).RunAsync(cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                AnsiConsole.MarkupLine($"stopped: {folder.ReadSamples().Count} of {inputs.Requests.Count} done; repeat the same command to finish it.");
                return 130;
            }
            if (driver is { Redispatched: > 0 } d)
            {
                Console.Error.WriteLine($"re-dispatched {d.Redispatched} key(s) whose lane was lost");
            }
            return Finish(folder, path);
        }
        finally
        {
            folder?.Dispose();
        }
    }

    private static int Finish(RunFolder folder, string path)
    {
        var summary = RunReporter.Write(folder);
        AnsiConsole.Write(SummaryTable.Render(summary));
        AnsiConsole.MarkupLine($"wrote {Markup.Escape(path)}");
        return 0;
    }

    private static void Check(string option, string dir)
    {
        try
        {
            ModelFolder.Open(dir);
        }
        catch (InferenceException ex)
        {
            throw new ArgumentException($"{option} {dir}: {ex.Message}", ex);
        }
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
        if (s.Cluster == "embedded")
        {
            // The embedded lane's models are the user's options: name the option, not the silo key it becomes.
            foreach (var (option, dir) in new[] { ("--base", s.Base), ("--guide", s.Guide), ("--reference", s.Reference) })
            {
                if (dir is not null)
                {
                    Check(option, dir);
                }
            }
        }
        return new RunRequest
        {
            RunId = s.RunId ?? "",
            Tasks = s.Tasks.Length == 0 ? ["toy-plan"] : s.Tasks,
            Arms = ArmPlan.Split(s.Arms),
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
            Fresh = s.Fresh,
            Strict = s.Strict,
            R = s.R,
            Verbose = s.Verbose,
            Cluster = s.Cluster,
            MaxInFlightPerLane = s.MaxInFlight,
            Tls = ResolveTls(s),
            TokenTraces = s.TokenTraces == true && s.NoTokenTraces
                ? throw new ArgumentException("--token-traces and --no-token-traces contradict each other; pass one.")
                : !s.NoTokenTraces,
        };
    }
}

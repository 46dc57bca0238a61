using System.Text.Json;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Runs;
using EvalCluster.Coordinator.Logging;
using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;
using EvalCluster.Inference;
using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Everything a run will do, decided before it starts: the manifest (hashed: resume refuses other settings)
/// and one generation request per (task, problem, sample, arm). Each request carries its arm fully resolved (a
/// guided arm's calibration entry); matched arms and early arms sized by rho are filled in after the results they
/// depend on exist (<see cref="DeferredArms"/>).
/// </summary>
public sealed record RunInputs(RunManifest Manifest, IReadOnlyList<GenerationRequest> Requests)
{
    public string ManifestHash => Manifest.ContentHash();

    /// <summary>Subject and level per (task, problem id): the coordinator joins them with each result; they never travel.</summary>
    public IReadOnlyDictionary<(string Task, string ProblemId), ProblemInfo> Problems { get; init; } = new Dictionary<(string, string), ProblemInfo>();

    public ProblemInfo Problem(ResultKey key) => Problems.GetValueOrDefault((key.Task, key.ProblemId), ProblemInfo.None);

    /// <summary>The same inputs under another run id (the default id derives from the manifest's hash).</summary>
    public RunInputs WithRunId(string runId) =>
        new(Manifest with { RunId = runId }, [.. Requests.Select(r => r with { RunId = runId })]);

    public static RunInputs Build(RunRequest run, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var registry = new TaskRegistry(run.TasksDir);
        var plan = ArmPlan.Create(run.Arms);
        var guided = plan.Arms.Where(a => a.Kind == ArmKind.Guided).ToList();
        if (run.R is not null && !guided.Any(a => a.R is null))
        {
            throw new ArgumentException($"-r {run.R}: it picks the calibration entry of the bare guided arm, and --arms has none; add guided or write guided@r={run.R}.");
        }
        // Each model's weights are hashed once (they can be many GB) and serve both the calibration check and the manifest.
        // In cluster mode the lanes say what they serve (ServedModels); the local --base/--guide play no part.
        var served = run.Served;
        var baseModel = served?.Get("base") ?? Model("base", run.Base);
        var guideModel = served?.Get("guide") ?? Model("guide", run.Guide);
        var calibration = run.Calibration is null || guided.Count == 0 ? null : CalibrationFile.Read(run.Calibration);
        plan = plan.WithCalibration(calibration, run.Calibration, run.R);
        if (calibration is not null && (served is not null || (Directory.Exists(run.Base) && Directory.Exists(run.Guide))))
        {
            if (served is null)
            {
                // Fail here, before any work, when a folder lacks its model or tokenizer files.
                ModelFolder.Open(run.Base);
                ModelFolder.Open(run.Guide);
            }
            calibration.CheckModels(new ModelIdentity(baseModel.Name, baseModel.Sha256), new ModelIdentity(guideModel.Name, guideModel.Sha256), run.Calibration!);
        }
        var tasks = run.Tasks.Select(registry.Get).ToList();
        foreach (var task in calibration is null ? [] : tasks)
        {
            if (calibration!.TaskMismatch(task.Name, task.Prompts.TemplateHash(), run.Calibration!) is { } mismatch)
            {
                if (run.Strict)
                {
                    throw new InferenceException(mismatch + "; --strict refuses it.");
                }
                logger.CalibrationMismatch(mismatch + " (--strict refuses it).");
            }
        }
        foreach (var arm in calibration is null ? [] : plan.Arms.Where(a => a.Kind == ArmKind.Guided && a.R is not null))
        {
            logger.CalibrationEntry(run.Calibration!, arm.R!.Value, arm.Tau!.Value, arm.Lambda!.Value, arm.Window!.Value, arm.Name);
        }
        var requests = new List<GenerationRequest>();
        var problemInfo = new Dictionary<(string, string), ProblemInfo>();
        var hashes = new Dictionary<string, string>();
        foreach (var task in tasks)
        {
            var problems = DatasetLoader.Load(task, run.DataDir);
            var datasetPath = DataDirectory.PathOf(task, run.DataDir);
            hashes[task.Name] = $"task:{RunManifest.HashFile(task.SourcePath)}, data:{(File.Exists(datasetPath) ? RunManifest.HashFile(datasetPath) : "")}";
            var decode = new DecodeSettings
            {
                Seed = run.Seed,
                Temperature = run.Temperature,
                TopP = run.TopP,
                MaxNewTokens = run.MaxNewTokens ?? task.Generation.MaxNewTokens,
                Cap = run.Cap,
                Stop = [.. task.Generation.Stop],
                TokenTraces = run.TokenTraces,
            };
            foreach (var problem in problems.Take(run.Limit ?? int.MaxValue))
            {
                problemInfo[(task.Name, problem.Id)] = new ProblemInfo(problem.Subject, problem.Level);
            }
            requests.AddRange(
                from problem in problems.Take(run.Limit ?? int.MaxValue)
                // Rendered once per problem: every sample and arm shares the two strings (a huge problem is not copied per request).
                let basePrompt = task.RenderBasePrompt(problem.Problem, problem.Choices)
                let chatPrompt = task.RenderChatMessage(problem.Problem, problem.Choices)
                from sample in Enumerable.Range(0, run.Samples)
                from arm in plan.Arms
                select new GenerationRequest
                {
                    RunId = run.RunId,
                    Key = new ResultKey(task.Name, problem.Id, sample, arm.Name),
                    BasePrompt = basePrompt,
                    ChatPrompt = chatPrompt,
                    Gold = problem.Answer,
                    // Matched arms are resolved by DeferredArms once their guided arm's rho is known.
                    ArmSpec = arm.Matched ? arm.Name : arm.ToResolvedText(),
                    Decode = decode,
                    Extractors = [.. task.Extraction],
                });
        }
        var gate = guided.Count == 0 ? null : plan[guided[0].Name];
        var manifest = new RunManifest
        {
            RunId = run.RunId,
            Tasks = run.Tasks,
            TaskHashes = hashes,
            Arms = plan.Names,
            Samples = run.Samples,
            Limit = run.Limit,
            Seed = run.Seed,
            Temperature = run.Temperature,
            TopP = run.TopP,
            MaxNewTokens = run.MaxNewTokens,
            Gate = calibration is null || gate is null ? null : new GateSettings
            {
                Score = calibration.Score, SpikeRatio = gate.R ?? 0, Window = gate.Window ?? calibration.Window,
                Tau = gate.Tau, Lambda = gate.Lambda, MaxTakeovers = run.Cap,
            },
            Models = [baseModel, guideModel, .. (served is null
                ? run.Reference is null ? [] : new[] { Model("reference", run.Reference) }
                : served.Get("reference") is { } reference ? [reference] : [])],
            Versions = new Dictionary<string, string> { ["evalcluster"] = typeof(RunInputs).Assembly.GetName().Version?.ToString() ?? "0" },
            // Every guided arm's resolved gate (a budget sweep runs several) and the task metrics the reports show.
            Settings = new Dictionary<string, string>(
                plan.Arms.Where(a => a.Kind == ArmKind.Guided).Select(a => KeyValuePair.Create("arm:" + a.Name, a.ToResolvedText()))
                .Concat(tasks.Select(t => KeyValuePair.Create("metrics:" + t.Name, string.Join(",", t.Metrics))))),
        };
        return new RunInputs(manifest, requests) { Problems = problemInfo };
    }

    private static ModelFileInfo Model(string role, string dir) => new()
    {
        Role = role,
        Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))),
        Path = dir,
        // The same weights identity calibrations record (model.onnx plus its external data file).
        Sha256 = File.Exists(Path.Combine(dir, "model.onnx")) ? ModelFolder.HashWeights(dir) : "",
    };
}

using System.Collections.Immutable;
using System.Text.Json;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Runs;
using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;
using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Everything a run will do, decided before it starts: the manifest (hashed: resume refuses other settings)
/// and one generation request per (task, problem, sample, arm). Bare `random` and `early` arms take the
/// guided arm's realised rho of the same task and `early@RHO` the base's response length, so they are filled in
/// after those results exist (<see cref="DeferredArms"/>).
/// </summary>
public sealed record RunInputs(RunManifest Manifest, IReadOnlyList<GenerationRequest> Requests)
{
    public string ManifestHash => Manifest.ContentHash();

    /// <summary>Subject and level per (task, problem id): the coordinator joins them with each result; they never travel.</summary>
    public IReadOnlyDictionary<(string Task, string ProblemId), ProblemInfo> Problems { get; init; } = new Dictionary<(string, string), ProblemInfo>();

    public ProblemInfo Problem(ResultKey key) => Problems.GetValueOrDefault((key.Task, key.ProblemId), ProblemInfo.None);

    public static RunInputs Build(RunRequest run)
    {
        var registry = new TaskRegistry(run.TasksDir);
        var arms = run.Arms;
        foreach (var arm in arms.Where(a => !IsMatched(a)))
        {
            ArmSpec.Parse(arm);
        }
        if (DeferredArms.Missing(arms) is { } missing)
        {
            throw new ArgumentException(missing);
        }
        // Each model's weights are hashed once (they can be many GB) and serve both the calibration check and the manifest.
        // In cluster mode the lanes say what they serve (ServedModels); the local --base/--guide play no part.
        var served = run.Served;
        var baseModel = served?.Get("base") ?? Model("base", run.Base);
        var guideModel = served?.Get("guide") ?? Model("guide", run.Guide);
        var calibration = run.Calibration is null ? null : CalibrationFile.Read(run.Calibration);
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
        var requests = new List<GenerationRequest>();
        var problemInfo = new Dictionary<(string, string), ProblemInfo>();
        var hashes = new Dictionary<string, string>();
        foreach (var task in run.Tasks.Select(registry.Get))
        {
            var problems = DatasetLoader.Load(task, run.DataDir);
            var datasetPath = Path.Combine(run.DataDir, task.Dataset.File);
            hashes[task.Name] = $"task:{RunManifest.HashFile(task.SourcePath)}, data:{(File.Exists(datasetPath) ? RunManifest.HashFile(datasetPath) : "")}";
            var decode = new DecodeSettings
            {
                Seed = run.Seed,
                Temperature = run.Temperature,
                TopP = run.TopP,
                MaxNewTokens = run.MaxNewTokens ?? task.Generation.MaxNewTokens,
                Score = calibration?.Score,
                Tau = calibration?.Tau,
                Lambda = calibration?.Lambda,
                Window = calibration?.Window,
                Cap = run.Cap,
                TokenTraces = run.TokenTraces,
            };
            foreach (var problem in problems.Take(run.Limit ?? int.MaxValue))
            {
                problemInfo[(task.Name, problem.Id)] = new ProblemInfo(problem.Subject, problem.Level);
            }
            requests.AddRange(
                from problem in problems.Take(run.Limit ?? int.MaxValue)
                from sample in Enumerable.Range(0, run.Samples)
                from arm in arms
                select new GenerationRequest
                {
                    RunId = run.RunId,
                    Key = new ResultKey(task.Name, problem.Id, sample, arm),
                    BasePrompt = task.RenderBasePrompt(problem.Problem),
                    ChatPrompt = task.RenderChatMessage(problem.Problem),
                    Gold = problem.Answer,
                    ArmSpec = arm,
                    Decode = decode,
                    Extractors = [.. task.Extraction],
                });
        }
        var manifest = new RunManifest
        {
            RunId = run.RunId,
            Tasks = run.Tasks,
            TaskHashes = hashes,
            Arms = arms,
            Samples = run.Samples,
            Limit = run.Limit,
            Seed = run.Seed,
            Temperature = run.Temperature,
            TopP = run.TopP,
            MaxNewTokens = run.MaxNewTokens,
            Gate = calibration is null ? null : new GateSettings
            {
                Score = calibration.Score, SpikeRatio = calibration.R, Window = calibration.Window,
                Tau = calibration.Tau, Lambda = calibration.Lambda, MaxTakeovers = run.Cap,
            },
            Models = [baseModel, guideModel, .. (served is null
                ? run.Reference is null ? [] : new[] { Model("reference", run.Reference) }
                : served.Get("reference") is { } reference ? [reference] : [])],
            Versions = new Dictionary<string, string> { ["evalcluster"] = typeof(RunInputs).Assembly.GetName().Version?.ToString() ?? "0" },
        };
        return new RunInputs(manifest, requests) { Problems = problemInfo };
    }

    /// <summary>A bare `random` or `early` arm: its rho is matched to the guided arm's realised rho.</summary>
    public static bool IsMatched(string arm) => arm is "random" or "early";

    private static ModelFileInfo Model(string role, string dir) => new()
    {
        Role = role,
        Name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir))),
        Path = dir,
        // The same weights identity calibrations record (model.onnx plus its external data file).
        Sha256 = File.Exists(Path.Combine(dir, "model.onnx")) ? ModelFolder.HashWeights(dir) : "",
    };
}

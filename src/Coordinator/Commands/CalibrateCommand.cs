using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using EvalCluster.Inference;
using EvalCluster.Inference.Calibration;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>
/// `calibrate`: rolls out the base model on calibration problems with the guide following every token, and
/// writes tau and lambda for spike ratio r (with the window, score and both models' identities) to a JSON file.
/// </summary>
public sealed class CalibrateCommand : Command<CalibrateCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--base <DIR>")]
        [Description("Base model folder (config.json, model.onnx, tokenizer.json).")]
        public string Base { get; init; } = "";

        [CommandOption("--guide <DIR>")]
        [Description("Guide model folder.")]
        public string Guide { get; init; } = "";

        [CommandOption("--data <FILE>")]
        [Description("JSONL calibration set, one {\"problem\": ...} per line.")]
        public string Data { get; init; } = "";

        [CommandOption("-r|--spike-ratio <R>")]
        [Description("Spike ratio r (-r 0.05): tau is the (1 - r) quantile of the scores (Spectre forbids one-letter long options, so not --r).")]
        public double R { get; init; }

        [CommandOption("--lambda <LAMBDA>")]
        [Description("Fix lambda instead of mean(s | s > tau) / mean(s).")]
        public double? Lambda { get; init; }

        [CommandOption("--window <W>")]
        [Description("Window W of earlier scores for the local condition (default 16).")]
        public int Window { get; init; } = 16;

        [CommandOption("--score <NAME>")]
        [Description("Score: ce (default), kl, kl-rev, js, tv, top1-mismatch.")]
        public string Score { get; init; } = "ce";

        [CommandOption("--max-new-tokens <N>")]
        [Description("Tokens per base rollout (default 256).")]
        public int MaxNewTokens { get; init; } = 256;

        [CommandOption("--limit <N>")]
        [Description("Use only the first N problems.")]
        public int? Limit { get; init; }

        [CommandOption("--seed <SEED>")]
        public ulong Seed { get; init; }

        [CommandOption("--temperature <T>")]
        [Description("Sampling temperature of the rollouts (default 0: greedy).")]
        public float Temperature { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu, cuda:N or auto (default).")]
        public string Device { get; init; } = "auto";

        [CommandOption("--task <NAME>")]
        [Description("Render each problem with this task's prompts (as `run` does), e.g. toy-plan; without it problems are fed raw.")]
        public string? Task { get; init; }

        [CommandOption("--tasks-dir <DIR>")]
        [Description("Folder of task files (default: the repository's tasks/).")]
        public string? TasksDir { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("Calibration JSON to write.")]
        public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            Base.Length == 0 || Guide.Length == 0 || Data.Length == 0 || Out.Length == 0
                ? ValidationResult.Error("calibrate: pass --base DIR --guide DIR --data FILE -r R --out FILE")
                : R is <= 0 or >= 1 ? ValidationResult.Error($"calibrate: -r must lie strictly between 0 and 1 (got {R}); e.g. -r 0.05")
                : Window < 1 ? ValidationResult.Error($"calibrate: --window must be at least 1 (got {Window})")
                : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var prompts = ReadProblems(settings.Data).Take(settings.Limit ?? int.MaxValue).ToList();
        var baseFolder = ModelFolder.Open(settings.Base);
        var guideFolder = ModelFolder.Open(settings.Guide);
        var execution = new ExecutionOptions(settings.Device);
        using var baseModel = baseFolder.OpenModel(execution);
        using var guideModel = guideFolder.OpenModel(execution);
        var task = settings.Task is null
            ? null
            : new EvalCluster.Evaluation.Tasks.TaskRegistry(settings.TasksDir ?? EvalCluster.Evaluation.Tasks.TaskRegistry.FindDefaultDirectory()).Get(settings.Task);
        var basePrompts = task is null ? prompts : prompts.Select(task.RenderBasePrompt).ToList();
        var guideMessages = task is null ? prompts : prompts.Select(task.RenderChatMessage).ToList();
        var calibration = new CalibrationRun(baseFolder, baseModel, guideFolder, guideModel).Run(basePrompts, guideMessages, new CalibrationSettings(
            settings.R, settings.Window, settings.Lambda, DivergenceScore.Parse(settings.Score), settings.MaxNewTokens,
            new SamplingOptions(settings.Temperature), settings.Seed));
        calibration.Write(settings.Out);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"tau {calibration.Tau:G6}, lambda {calibration.Lambda:G6} from {calibration.Tokens} scores over {calibration.Prompts} problems -> {settings.Out}");
        return 0;
    }

    /// <summary>The "problem" field of each JSONL line.</summary>
    internal static IEnumerable<string> ReadProblems(string path)
    {
        if (!File.Exists(path))
        {
            throw new InferenceException($"{path}: calibration data not found; pass a JSONL file with a \"problem\" field per line.");
        }
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            string? problem;
            try
            {
                using var doc = JsonDocument.Parse(line);
                problem = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("problem", out var p)
                    && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            }
            catch (JsonException ex)
            {
                throw new InferenceException($"{path}: line {lineNo}: invalid JSON ({ex.Message.Split('\n')[0]}); fix or delete the line.", ex);
            }
            yield return problem ?? throw new InferenceException($"{path}: line {lineNo}: missing string field \"problem\".");
        }
    }
}

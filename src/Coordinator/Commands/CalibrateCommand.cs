using System.ComponentModel;
using System.Globalization;
using EvalCluster.Evaluation.Data;
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
        [Description("Base model folder (config.json, model.onnx, tokenizer.json; required).")]
        public string Base { get; init; } = "";

        [CommandOption("--guide <DIR>")]
        [Description("Guide model folder (required).")]
        public string Guide { get; init; } = "";

        [CommandOption("--data <FILE>")]
        [Description("JSONL calibration set, one {\"problem\": ...} per line (required).")]
        public string Data { get; init; } = "";

        [CommandOption("-r|--spike-ratio <R>")]
        [Description("Spike ratio(s), comma-separated (-r 0.02 or -r 0.01,0.02,0.04): one pass of rollouts, one entry per r with tau the (1 - r) quantile of the scores; each 0 < r < 1 (required).")]
        public string R { get; init; } = "";

        [CommandOption("--lambda <LAMBDA>")]
        [Description("Fix lambda (>= 0) for every r instead of mean(s | s > tau) / mean(s) (default: computed).")]
        public double? Lambda { get; init; }

        [CommandOption("--window <W>")]
        [Description("Window W of earlier scores for the local condition (default 16).")]
        public int Window { get; init; } = 16;

        [CommandOption("--score <NAME>")]
        [Description("Score: ce (default), kl, kl-rev, js, tv, top1-mismatch.")]
        public string Score { get; init; } = "ce";

        [CommandOption("--max-new-tokens <N>")]
        [Description("Tokens per base rollout (default 256; at least 1).")]
        public int MaxNewTokens { get; init; } = 256;

        [CommandOption("--limit <N>")]
        [Description("Use only the first N problems (default all; at least 1).")]
        public int? Limit { get; init; }

        [CommandOption("--seed <SEED>")]
        [Description("Seed of sampled rollouts (default 0).")]
        public ulong Seed { get; init; }

        [CommandOption("--temperature <T>")]
        [Description("Sampling temperature of the rollouts (default 0: greedy; 0..100).")]
        public float Temperature { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu, cuda:N or auto (default).")]
        public string Device { get; init; } = "auto";

        [CommandOption("--task <NAME>")]
        [Description("Render each problem with this task's prompts (as `run` does), e.g. toy-plan; the file records the task and its prompt-template hash, and a run on another task warns (default: problems fed raw).")]
        public string? Task { get; init; }

        [CommandOption("--tasks-dir <DIR>")]
        [Description("Folder of task files (default: the repository's tasks/).")]
        public string? TasksDir { get; init; }

        [CommandOption("--out <FILE>")]
        [Description("Calibration JSON to write (required).")]
        public string Out { get; init; } = "";

        public override ValidationResult Validate() =>
            Base.Length == 0 || Guide.Length == 0 || Data.Length == 0 || Out.Length == 0
                ? ValidationResult.Error("calibrate: pass --base DIR --guide DIR --data FILE -r R --out FILE")
                : ParseRs(R) is var (_, error) && error is not null ? ValidationResult.Error(error)
                : Window < 1 ? ValidationResult.Error($"calibrate: --window must be at least 1 (got {Window})")
                : Lambda is { } l && (!double.IsFinite(l) || l < 0) ? ValidationResult.Error($"calibrate: --lambda must be finite and >= 0 (got {l})")
                : MaxNewTokens < 1 ? ValidationResult.Error($"calibrate: --max-new-tokens must be at least 1 (got {MaxNewTokens})")
                : Limit is < 1 ? ValidationResult.Error($"calibrate: --limit must be at least 1 (got {Limit})")
                : !float.IsFinite(Temperature) || Temperature is < 0 or > RunOptions.MaxTemperature ? ValidationResult.Error($"calibrate: --temperature must lie in 0..{RunOptions.MaxTemperature} (got {Temperature})")
                : ValidationResult.Success();
    }

    /// <summary>The comma-separated spike ratios of -r, or the one-line error.</summary>
    internal static (IReadOnlyList<double> Rs, string? Error) ParseRs(string text)
    {
        var rs = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || !(r > 0 && r < 1))
            {
                return ([], $"calibrate: -r {part}: each spike ratio must lie strictly between 0 and 1; e.g. -r 0.02 or -r 0.01,0.02,0.04");
            }
            rs.Add(r);
        }
        return rs.Distinct().Count() == rs.Count ? (rs, null) : ([], $"calibrate: -r lists a spike ratio twice ({text}); list each r once");
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
        var basePrompts = task is null ? prompts : prompts.Select(p => task.RenderBasePrompt(p)).ToList();
        var guideMessages = task is null ? prompts : prompts.Select(p => task.RenderChatMessage(p)).ToList();
        var calibration = new CalibrationRun(baseFolder, baseModel, guideFolder, guideModel).Run(basePrompts, guideMessages, new CalibrationSettings(
            ParseRs(settings.R).Rs, settings.Window, settings.Lambda, DivergenceScore.Parse(settings.Score), settings.MaxNewTokens,
            new SamplingOptions(settings.Temperature), settings.Seed, Task: task?.Name, PromptTemplateSha256: task?.Prompts.TemplateHash(), Stop: task?.Generation.Stop));
        calibration.Write(settings.Out);
        foreach (var entry in calibration.Entries)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"r {entry.R:G6}: tau {entry.Tau:G6}, lambda {entry.Lambda:G6}");
        }
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{calibration.Entries.Count} entr{(calibration.Entries.Count == 1 ? "y" : "ies")} from {calibration.Tokens} scores over {calibration.Prompts} problems -> {settings.Out}");
        return 0;
    }

    /// <summary>The "problem" field of each JSONL line, read by the dataset loader's JSONL reader (one error format).</summary>
    internal static IEnumerable<string> ReadProblems(string path) => File.Exists(path)
        ? JsonlRows.Read(path).Select(row => row.Required(path, "problem"))
        : throw new InferenceException($"{path}: calibration data not found; pass a JSONL file with a \"problem\" field per line.");
}

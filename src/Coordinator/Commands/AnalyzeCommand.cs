using System.ComponentModel;
using System.Globalization;
using EvalCluster.Inference.Analysis;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Models;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>
/// `analyze`: teacher-forces given responses through base and guide and writes per-token traces
/// (traces.jsonl) and the concentration statistics (analysis.json).
/// </summary>
public sealed class AnalyzeCommand : Command<AnalyzeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--base <DIR>")]
        [Description("Base model folder.")]
        public string Base { get; init; } = "";

        [CommandOption("--guide <DIR>")]
        [Description("Guide model folder.")]
        public string Guide { get; init; } = "";

        [CommandOption("--input <FILE>")]
        [Description("A run folder, its samples.jsonl, or JSONL of {\"prompt\", \"response\", \"correct\"?}.")]
        public string Input { get; init; } = "";

        [CommandOption("--out <DIR>")]
        [Description("Folder for traces.jsonl and analysis.json.")]
        public string Out { get; init; } = "";

        [CommandOption("--arm <NAME>")]
        [Description("Only responses of this arm (samples.jsonl holds several).")]
        public string? Arm { get; init; }

        [CommandOption("--score <NAME>")]
        [Description("Score: ce (default), kl, kl-rev, js, tv, top1-mismatch.")]
        public string Score { get; init; } = "ce";

        [CommandOption("--lexicon <FILE>")]
        [Description("Planning phrases, one per line (default: docs/analysis.md).")]
        public string? Lexicon { get; init; }

        [CommandOption("--limit <N>")]
        public int? Limit { get; init; }

        [CommandOption("--device <DEVICE>")]
        [Description("cpu, cuda:N or auto (default).")]
        public string Device { get; init; } = "auto";

        public override ValidationResult Validate() =>
            Base.Length == 0 || Guide.Length == 0 || Input.Length == 0 || Out.Length == 0
                ? ValidationResult.Error("analyze: pass --base DIR --guide DIR --input FILE --out DIR")
                : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var rows = ResponseRowReader.Read(settings.Input)
            .Where(r => settings.Arm is null || r.Arm == settings.Arm)
            .Take(settings.Limit ?? int.MaxValue).ToList();
        var lexicon = settings.Lexicon is null ? PlanningLexicon.Default : PlanningLexicon.Load(settings.Lexicon);
        var baseFolder = ModelFolder.Open(settings.Base);
        var guideFolder = ModelFolder.Open(settings.Guide);
        var execution = new ExecutionOptions(settings.Device);
        using var baseModel = baseFolder.OpenModel(execution);
        using var guideModel = guideFolder.OpenModel(execution);
        var report = new AnalysisRun(baseFolder.Tokenizer, baseModel, guideFolder.Tokenizer, guideModel)
            .Run(rows, DivergenceScore.Parse(settings.Score), lexicon, settings.Out);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{report.Responses} responses, {report.Tokens} tokens: 50% of the score in {report.ShareOfTokensHolding["50"]:P1} of tokens, Gini {report.Gini:F3} -> {settings.Out}");
        return 0;
    }
}

using System.ComponentModel;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;
using EvalCluster.Evaluation.Tasks;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>`rescore RUN_DIR`: re-extracts and re-grades saved responses with the current grader; nothing is regenerated.</summary>
public sealed class RescoreCommand : Command<RescoreCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("A run folder (holds manifest.json and samples.jsonl).")]
        public string RunDir { get; init; } = "";

        [CommandOption("--tasks-dir <DIR>")]
        [Description("Task files (for each task's extraction pipeline); default: the repository's tasks/ folder.")]
        public string? TasksDir { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var folder = RunFolder.Open(settings.RunDir);
        var registry = new TaskRegistry(settings.TasksDir ?? TaskRegistry.FindDefaultDirectory());
        var result = Rescorer.Rescore(folder, registry);
        RunSummaryPrinter.Print(result.Summary);
        Console.Out.WriteLine($"rescored {result.Samples} samples; {result.Changed} changed verdict");
        return 0;
    }
}

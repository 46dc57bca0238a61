using System.ComponentModel;
using EvalCluster.Evaluation.Reports;
using EvalCluster.Evaluation.Runs;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>`report RUN_DIR`: recomputes summary.json, report.md, report.html and the plots from the run's samples.</summary>
public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<RUN_DIR>")]
        [Description("A run folder (holds manifest.json and samples.jsonl).")]
        public string RunDir { get; init; } = "";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var folder = RunFolder.Open(settings.RunDir);
        var summary = RunReporter.Write(folder);
        RunSummaryPrinter.Print(summary);
        Console.Out.WriteLine($"wrote {Path.Combine(settings.RunDir, RunFolder.SummaryFile)}, {Path.Combine(settings.RunDir, RunFolder.ReportFile)} and {Path.Combine(settings.RunDir, RunViewer.File)}");
        return 0;
    }
}

using System.ComponentModel;
using EvalCluster.Evaluation.Data;
using EvalCluster.Evaluation.Tasks;
using Spectre.Console;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator.Commands;

/// <summary>`ls tasks`: the task files with their dataset and whether it is present in the data directory.</summary>
public sealed class LsCommand : Command<LsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<WHAT>")]
        [Description("What to list: tasks.")]
        public string What { get; init; } = "";

        [CommandOption("--tasks-dir <DIR>")]
        [Description("Folder of task files; default: the repository's tasks/ folder.")]
        public string? TasksDir { get; init; }

        [CommandOption("--data-dir <DIR>")]
        [Description("Dataset folder (default ./data, or $EVALCLUSTER_DATA_DIR).")]
        public string? DataDir { get; init; }

        public override ValidationResult Validate() => What == "tasks"
            ? ValidationResult.Success()
            : ValidationResult.Error($"ls: unknown listing '{What}'; use `ls tasks`");
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var registry = new TaskRegistry(settings.TasksDir ?? TaskRegistry.FindDefaultDirectory());
        var dataDir = DataDirectory.Resolve(settings.DataDir);
        foreach (var row in TaskListing.Rows(registry, dataDir))
        {
            Console.Out.WriteLine(row);
        }
        return 0;
    }
}

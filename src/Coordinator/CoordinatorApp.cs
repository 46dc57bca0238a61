using EvalCluster.Coordinator.Commands;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator;

/// <summary>Builds the command-line application: one command class per verb, registered here.</summary>
public static class CoordinatorApp
{
    /// <summary>The tool's version (`--version`): the assembly's informational version, else its version.</summary>
    public static string Version { get; } =
        typeof(CoordinatorApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion
        ?? typeof(CoordinatorApp).Assembly.GetName().Version?.ToString() ?? "0";

    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("evalcluster");
            config.SetApplicationVersion(Version);
            config.PropagateExceptions();
            // Without strict parsing an unknown or misspelt option (`--limt 10`) is silently ignored and the run does
            // something the user did not ask for.
            config.Settings.StrictParsing = true;
            config.AddCommand<TokenizeCommand>("tokenize")
                .WithDescription("Tokenize JSONL lines {\"text\": ...} and print {\"text\", \"ids\"} per line.");
            config.AddCommand<CalibrateCommand>("calibrate")
                .WithDescription("Calibrate tau and lambda of the guided gate from base rollouts; writes a calibration JSON.");
            config.AddCommand<AnalyzeCommand>("analyze")
                .WithDescription("Teacher-force responses through base and guide; writes traces.jsonl and analysis.json.");
            config.AddCommand<GradeCommand>("grade").WithDescription("Grade math equivalence: JSONL {\"gold\", \"prediction\"} lines, or --gold X --prediction Y.");
            config.AddCommand<RescoreCommand>("rescore").WithDescription("Re-grade a run folder's saved responses and rewrite its summary and report.");
            config.AddCommand<ReportCommand>("report").WithDescription("Rewrite a run folder's summary.json, report.md and plots from its samples.");
            config.AddCommand<LsCommand>("ls").WithDescription("List things: `ls tasks`.");
            config.AddCommand<RunCommand>("run")
                .WithDescription("Evaluate tasks x arms on a cluster (embedded by default) and write OUT/RUN_ID/.");
            // Other issues register their commands here, one line each.
        });
        return app;
    }

    /// <summary>Runs the tool with user errors turned into one line on stderr and exit code 1.</summary>
    public static int RunCli(string[] args) => CliErrors.Run(() => Create().Run(args), args);
}

using EvalCluster.Coordinator.Commands;
using Spectre.Console.Cli;

namespace EvalCluster.Coordinator;

/// <summary>Builds the command-line application: one command class per verb, registered here.</summary>
public static class CoordinatorApp
{
    public static CommandApp Create()
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("evalcluster");
            config.PropagateExceptions();
            config.AddCommand<TokenizeCommand>("tokenize")
                .WithDescription("Tokenize JSONL lines {\"text\": ...} and print {\"text\", \"ids\"} per line.");
            // Other issues register their commands here, one line each.
        });
        return app;
    }

    /// <summary>Runs the app turning user errors into one line on stderr and a non-zero exit code.</summary>
    public static int Run(this CommandApp app, string[] args) => CliErrors.Run(() => app.Run(args));
}

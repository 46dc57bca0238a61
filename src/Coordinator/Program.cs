using EvalCluster.Coordinator;
using Spectre.Console;

// Output redirected to a file or a CI log has no terminal width: Spectre would squeeze the summary table into
// 80 columns and break numbers across lines. A wide profile keeps one row per arm.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 200;
}
return CoordinatorApp.RunCli(args);

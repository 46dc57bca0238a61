namespace EvalCluster.Coordinator.Tests.Commands;

/// <summary>Runs the real command-line app with swapped console streams; callers sit in the console collection.</summary>
internal static class ConsoleCapture
{
    public static (int Exit, string Stdout, string Stderr) Run(params string[] args) => RunWithStdin("", args);

    public static (int Exit, string Stdout, string Stderr) RunWithStdin(string stdin, params string[] args)
    {
        var (oldIn, oldOut, oldError) = (Console.In, Console.Out, Console.Error);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            Console.SetIn(new StringReader(stdin));
            Console.SetOut(stdout);
            Console.SetError(stderr);
            var exit = CoordinatorApp.RunCli(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetIn(oldIn);
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}

using EvalCluster.Evaluation;
using EvalCluster.Inference;
using Spectre.Console;

namespace EvalCluster.Coordinator;

/// <summary>
/// Turns a user mistake into one line on stderr and exit code 1 (never a stack trace); anything else is a
/// bug and keeps its stack trace, with exit code 2.
/// </summary>
public static class CliErrors
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"internal error: {ex}");
            return 2;
        }
    }

    public static bool IsUserError(Exception ex) => ex is InferenceException or EvaluationException
        or IOException or InvalidDataException or ArgumentException
        or Spectre.Console.Cli.CommandParseException or Spectre.Console.Cli.CommandRuntimeException
        or OperationCanceledException;
}

using System.Text.RegularExpressions;
using EvalCluster.Evaluation;
using EvalCluster.Inference;

namespace EvalCluster.Coordinator;

/// <summary>
/// Turns a user mistake into one line on stderr and exit code 1 (never a stack trace); anything else is a
/// bug and keeps its stack trace, with exit code 2. A user error wrapped by Orleans, the host or a task
/// (AggregateException, OrleansException, ...) is unwrapped to its own line; a value Spectre cannot convert
/// names the option it was given to.
/// </summary>
public static partial class CliErrors
{
    public static int Run(Func<int> body, IReadOnlyList<string>? args = null)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (UserError(ex) is { } user)
        {
            Console.Error.WriteLine($"error: {Describe(user, args ?? [])}");
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

    /// <summary>The user error in <paramref name="ex"/> or among its inner exceptions (depth-first, bounded); null when none.</summary>
    public static Exception? UserError(Exception ex)
    {
        var pending = new Stack<(Exception Error, int Depth)>([(ex, 0)]);
        while (pending.TryPop(out var item))
        {
            if (IsUserError(item.Error))
            {
                return item.Error;
            }
            if (item.Depth >= 16)
            {
                continue;
            }
            var inner = item.Error is AggregateException aggregate ? aggregate.InnerExceptions : item.Error.InnerException is { } one ? [one] : [];
            foreach (var e in inner.Reverse())
            {
                pending.Push((e, item.Depth + 1));
            }
        }
        return null;
    }

    private static string Describe(Exception ex, IReadOnlyList<string> args)
    {
        var line = ex.Message.Split('\n', 2)[0].TrimEnd('\r');
        if (ConversionFailure().Match(line) is not { Success: true } m)
        {
            return line;
        }
        // Spectre says "Failed to convert 'five' to Nullable`1." without the option; find it in the arguments.
        var value = m.Groups[1].Value;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == value && i > 0 && args[i - 1].StartsWith('-'))
            {
                return $"{args[i - 1]} {value}: not a valid number; pass a number (see --help for its range).";
            }
            if (args[i].StartsWith('-') && args[i].EndsWith("=" + value, StringComparison.Ordinal))
            {
                return $"{args[i][..^(value.Length + 1)]} {value}: not a valid number; pass a number (see --help for its range).";
            }
        }
        return $"'{value}' is not a valid number for its option; pass a number (see --help).";
    }

    [GeneratedRegex("^Failed to convert '(.*)' to ")]
    private static partial Regex ConversionFailure();
}

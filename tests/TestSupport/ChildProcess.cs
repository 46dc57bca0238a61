using System.Collections.Concurrent;
using System.Diagnostics;

namespace EvalCluster.TestSupport;

/// <summary>
/// A process a test starts (redis-server, prometheus, a silo, the coordinator, a tool): output kept line by line
/// with the time each line arrived, bounded waits, and killed by its own id (with its children) when disposed if it
/// still runs. Tests never end processes they did not start.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(DateTime At, string Line)> _lines = new();

    private ChildProcess(string name, string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What messages call it (a silo's name, "redis", the tool's file name).</summary>
    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output and error, line by line, each with the time it arrived.</summary>
    public IReadOnlyList<(DateTime At, string Line)> Lines => [.. _lines];

    public string Output => string.Join('\n', _lines.Select(l => l.Line));

    /// <summary>Starts FILE with ARGUMENTS in WORKINGDIRECTORY (default: the repository root).</summary>
    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, string? name = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(name ?? Path.GetFileName(fileName), fileName, arguments, workingDirectory ?? RepoPaths.Root, environment);

    /// <summary>Starts a .NET program from its build output with the dotnet host running these tests.</summary>
    public static ChildProcess StartDotnet(string dll, IEnumerable<string> arguments, string? workingDirectory = null, string? name = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return Start(host, [dll, .. arguments], workingDirectory, name ?? Path.GetFileNameWithoutExtension(dll), environment);
    }

    /// <summary>A built program of this repository (src/PROJECT), run in the tests' configuration from the repository root.</summary>
    public static ChildProcess StartProgram(string name, string project, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null) =>
        StartDotnet(RepoPaths.ProgramDll(project), arguments, name: name, environment: environment);

    /// <summary>Runs a command to completion (bounded) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit)
    {
        using var process = Start(fileName, arguments, workingDirectory);
        var exitCode = await process.WaitForExitAsync(limit);
        return (exitCode, process.Output);
    }

    /// <summary>The exit code, once the process has exited; a <see cref="TimeoutException"/> with its last output after LIMIT.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {limit.TotalSeconds:0} s; its output:\n{Tail()}");
        }
        // Drains the redirected output before the caller reads it.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>kill -9: the process gets no chance to leave the cluster.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    public string Tail(int lines = 40) => string.Join('\n', _lines.TakeLast(lines).Select(l => l.Line));

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue((DateTime.UtcNow, line));
        }
    }
}

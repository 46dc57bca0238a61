using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EvalCluster.Fleet.Tests;

/// <summary>
/// One child process of a fleet test (redis-server, a silo, the coordinator), started from the repository root
/// with its output kept line by line (with the time each line arrived). Disposing kills it (by its id) if it still runs.
/// </summary>
public sealed class FleetProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(DateTime At, string Line)> _lines = new();

    private FleetProcess(string name, string file, IEnumerable<string> args)
    {
        Name = name;
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<(DateTime At, string Line)> Lines => [.. _lines];

    public string Output => string.Join('\n', _lines.Select(l => l.Line));

    public static FleetProcess Start(string name, string file, params IEnumerable<string> args) => new(name, file, args);

    /// <summary>A built .NET program of this repository (src/NAME), run with the same configuration as the tests.</summary>
    public static FleetProcess StartProgram(string name, string project, IEnumerable<string> args) =>
        new(name, "dotnet", [Repo.ProgramDll(project), .. args]);

    /// <summary>kill -9: the process gets no chance to leave the cluster.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

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
        _process.WaitForExit();
        return _process.ExitCode;
    }

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
            // Already gone.
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Where the repository and its built programs are.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    /// <summary>artifacts/bin/PROJECT/CONFIG/EvalCluster.PROJECT.dll, beside this test assembly's own folder.</summary>
    public static string ProgramDll(string project)
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testDir.Parent!.Parent!.FullName, project, testDir.Name, $"EvalCluster.{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built; build tests/Fleet.Tests (it builds src/{project}) first.");
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EvalCluster.Deploy.Tests.Infrastructure;

/// <summary>
/// A process a test starts: output captured, bounded waits, and killed by its own id (with its children) when
/// disposed if it is still running. Tests never end processes they did not start.
/// </summary>
public sealed class TestProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private TestProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static TestProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info };
        var result = new TestProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Starts a .NET program from its build output with the dotnet host running these tests.</summary>
    public static TestProcess StartDotnet(string dll, IEnumerable<string> arguments, string workingDirectory)
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return Start(host, [dll, .. arguments], workingDirectory);
    }

    /// <summary>Runs a command to completion (bounded) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        using var process = Start(fileName, arguments, workingDirectory);
        var exited = await process.WaitForExitAsync(timeout);
        Assert.True(exited, $"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}:\n{process.Output}");
        return (process.ExitCode, process.Output);
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

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

    /// <summary>A loopback port free right now (the OS picks it; the caller binds it soon after).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvalCluster.Coordinator.Tests.Viewer;

/// <summary>
/// A headless Chromium this test starts (fresh profile, loopback DevTools port chosen by Chromium) and drives over
/// the DevTools protocol: open a page, evaluate script, collect console errors and uncaught exceptions, take a
/// screenshot. Every wait is bounded; Dispose ends the process it started (by id, with its children).
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public const string Binary = "/usr/bin/chromium";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receive = Task.CompletedTask;
    private string? _session;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and error log entries of the page, in order.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Directory.CreateTempSubdirectory("evalcluster-chromium-").FullName;
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0", "--window-size=1400,1000", "about:blank",
        })
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            var url = await ReadDevToolsUrlAsync(process);
            using var connect = new CancellationTokenSource(CallTimeout);
            await browser._socket.ConnectAsync(new Uri(url), connect.Token);
            browser._receive = Task.Run(browser.ReceiveLoopAsync);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> ReadDevToolsUrlAsync(Process process)
    {
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CallTimeout);
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            var at = line.IndexOf("ws://127.0.0.1:", StringComparison.Ordinal);
            if (line.StartsWith("DevTools listening on ", StringComparison.Ordinal) && at >= 0)
            {
                // Keep draining stderr so Chromium never blocks on a full pipe.
                _ = process.StandardError.ReadToEndAsync();
                return line[at..].Trim();
            }
        }
        throw new InvalidOperationException("chromium exited without a DevTools address");
    }

    /// <summary>Opens <paramref name="url"/> in a new tab and attaches to it with console and log capture on.</summary>
    public async Task OpenAsync(string url)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browserLevel: true);
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }, browserLevel: true);
        _session = (string)attached["sessionId"]!;
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Page.enable");
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
    }

    /// <summary>Evaluates an expression in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } ex)
        {
            throw new InvalidOperationException($"page script failed: {ex.ToJsonString()}");
        }
        return result["result"]?["value"];
    }

    /// <summary>Polls <paramref name="condition"/> (a script expression) until it is true; false after <paramref name="limit"/>.</summary>
    public async Task<bool> WaitForAsync(string condition, TimeSpan limit)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < limit)
        {
            // The page may still be navigating (no body yet): a throwing condition counts as false.
            if (await EvaluateAsync($"(() => {{ try {{ return !!({condition}); }} catch {{ return false; }} }})()") is JsonValue v && v.GetValue<bool>())
            {
                return true;
            }
            await Task.Delay(100);
        }
        return false;
    }

    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)shot["data"]!));
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, bool browserLevel = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (!browserLevel && _session is not null)
        {
            message["sessionId"] = _session;
        }
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        using var timeout = new CancellationTokenSource(CallTimeout);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token);
        var response = await done.Task.WaitAsync(CallTimeout);
        if (response["error"] is { } error)
        {
            throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        }
        return response["result"]?.AsObject() ?? [];
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } id && _pending.TryRemove((int)id, out var waiter))
                {
                    waiter.TrySetResult(json);
                }
                else
                {
                    OnEvent((string?)json["method"], json["params"]);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closing.
        }
        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(new InvalidOperationException("the DevTools connection closed"));
        }
    }

    private void OnEvent(string? method, JsonNode? p)
    {
        var type = p?["type"]?.GetValue<string>();
        var level = p?["entry"]?["level"]?.GetValue<string>();
        if (method == "Runtime.consoleAPICalled" && type is "error" or "assert")
        {
            Errors.Enqueue("console: " + p?["args"]?.ToJsonString());
        }
        else if (method == "Runtime.exceptionThrown")
        {
            Errors.Enqueue("exception: " + p?["exceptionDetails"]?.ToJsonString());
        }
        else if (method == "Log.entryAdded" && level == "error")
        {
            Errors.Enqueue("log: " + p?["entry"]?.ToJsonString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        await _receive.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A child may still hold a file for a moment; the temp folder is harmless.
        }
    }
}

using System.Diagnostics;
using System.Threading.Channels;
using EvalCluster.Contracts.Generation;
using EvalCluster.Contracts.Lanes;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace EvalCluster.Coordinator.Running;

/// <summary>
/// Sends keys to lanes and survives the fleet: one shared queue (in the order given, so every lane gets every
/// arm), a fixed number of workers per live lane, and a watch loop that re-discovers lanes from membership. A key
/// whose lane is lost (its silo died, its connection dropped, its calls time out, membership no longer lists it)
/// goes back to the queue and runs on another lane; lanes that join mid-run get workers. Each call to a generation
/// grain returns within <see cref="DispatchOptions.PollWait"/> (<see cref="IGenerationGrain"/>), so a generation
/// may take hours while no call outlives Orleans' response timeout, and waiting for a slot never counts against one.
/// </summary>
public sealed class LaneDispatcher(ClusterSession cluster, string runId, int maxInFlightPerLane, DispatchOptions options, IRunObserver observer)
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly Dictionary<string, LaneWorkers> _lanes = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Replaced (and the old one cancelled) whenever a lane is lost: every in-flight wait is re-sent, because a call
    // that went through the dead silo as its gateway would otherwise hang until the response timeout. A re-sent
    // call joins the generation still running on its (live) lane: nothing is regenerated.
    private CancellationTokenSource _epoch = new();
    private int _remaining;
    private int _redispatched;

    /// <summary>Keys sent again after their first lane failed them (in-flight keys of lost lanes).</summary>
    public int Redispatched => _redispatched;

    /// <summary>Runs every request to a result; <paramref name="onResult"/> (called one at a time) gets it with the seconds it queued.</summary>
    public async Task RunAsync(IReadOnlyList<GenerationRequest> requests, Action<GenerationRequest, GenerationResult, double> onResult,
        CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return;
        }
        _remaining = requests.Count;
        foreach (var request in requests)
        {
            _queue.Writer.TryWrite(new Pending(request, Stopwatch.GetTimestamp(), 0));
        }
        var gate = new object();
        void Deliver(GenerationRequest r, GenerationResult g, double q)
        {
            lock (gate)
            {
                onResult(r, g, q);
            }
        }
        try
        {
            await WatchAsync(Deliver, cancellationToken);
        }
        finally
        {
            foreach (var lane in _lanes.Values)
            {
                await lane.StopAsync();
            }
            _lanes.Clear();
        }
    }

    private async Task WatchAsync(Action<GenerationRequest, GenerationResult, double> deliver, CancellationToken cancellationToken)
    {
        long? noLaneSince = null;
        while (!_done.Task.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Lost lanes leave even when membership cannot be read (the last silo just died); new ones join when it can.
            var live = await TryDiscoverAsync(cancellationToken);
            var liveIds = live?.Select(l => l.LaneId).ToHashSet();
            foreach (var gone in _lanes.Keys.Where(id => _lanes[id].Lost || (liveIds is not null && !liveIds.Contains(id))).ToList())
            {
                var workers = _lanes[gone];
                var reason = workers.LostReason ?? "membership no longer lists its silo";
                _lanes.Remove(gone);
                await workers.StopAsync();
                observer.OnLaneLost(gone, reason);
                var old = Interlocked.Exchange(ref _epoch, new CancellationTokenSource());
                await old.CancelAsync();
            }
            foreach (var lane in live?.Where(l => !_lanes.ContainsKey(l.LaneId)) ?? [])
            {
                _lanes[lane.LaneId] = LaneWorkers.Start(lane, WorkersFor(lane), (l, stop) => WorkAsync(l, deliver, stop, cancellationToken));
            }
            if (_lanes.Count == 0)
            {
                noLaneSince ??= Stopwatch.GetTimestamp();
                if (Stopwatch.GetElapsedTime(noLaneSince.Value) > options.NoLaneTimeout)
                {
                    throw new NoLiveLaneException($"no live lane for {options.NoLaneTimeout.TotalSeconds:0} s ({_remaining} key(s) left); start a silo and repeat the command with --resume to finish the run.");
                }
            }
            else
            {
                noLaneSince = null;
            }
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(_done.Task, Task.Delay(options.RediscoverEvery, tick.Token), _wake.WaitAsync(tick.Token));
            await tick.CancelAsync();
        }
        await _done.Task;
    }

    /// <summary>Workers (generations in flight) for a lane: the run's setting, else the lane's batch size, else 32
    /// (a silo that does not report one).</summary>
    public int WorkersFor(LaneInfo lane) => maxInFlightPerLane > 0 ? maxInFlightPerLane : lane.MaxBatch > 0 ? lane.MaxBatch : 32;

    private async Task<IReadOnlyList<LaneInfo>?> TryDiscoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await cluster.DiscoverLanesAsync().WaitAsync(options.DiscoverTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Membership is unreachable for now (the gateway we asked just died, or every silo did).
            return null;
        }
    }

    private async Task WorkAsync(LaneWorkers lane, Action<GenerationRequest, GenerationResult, double> deliver, CancellationToken laneStop,
        CancellationToken runStop)
    {
        while (!laneStop.IsCancellationRequested && !runStop.IsCancellationRequested)
        {
            Pending pending;
            try
            {
                pending = await _queue.Reader.ReadAsync(laneStop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var grain = cluster.Grains.GetGrain<IGenerationGrain>(LaneKeys.Generation(lane.Info.LaneId, runId, pending.Request.Key));
            var queued = Stopwatch.GetElapsedTime(pending.Enqueued).TotalSeconds;
            try
            {
                GenerationResult? result = null;
                while (result is null)
                {
                    var epoch = Volatile.Read(ref _epoch).Token;
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(laneStop, epoch);
                    try
                    {
                        result = await grain.GenerateAsync(pending.Request, options.PollWait).WaitAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (epoch.IsCancellationRequested && !laneStop.IsCancellationRequested)
                    {
                        // Another lane was lost: ask again (through a live gateway); the generation itself goes on.
                    }
                }
                deliver(pending.Request, result, queued);
                if (Interlocked.Decrement(ref _remaining) == 0)
                {
                    _done.TrySetResult();
                }
            }
            catch (Exception ex) when (!runStop.IsCancellationRequested)
            {
                Requeue(pending, lane.Info.LaneId, ex);
                if (laneStop.IsCancellationRequested || IsLaneLoss(ex))
                {
                    lane.MarkLost(ex is OperationCanceledException ? "stopped" : $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                    _wake.Release();
                    return;
                }
            }
            catch (OperationCanceledException) when (runStop.IsCancellationRequested)
            {
                _ = grain.CancelAsync();
                return;
            }
        }
    }

    private void Requeue(Pending pending, string lane, Exception ex)
    {
        var attempts = pending.Attempts + (IsLaneLoss(ex) || ex is OperationCanceledException ? 0 : 1);
        if (attempts >= options.MaxKeyFailures)
        {
            _done.TrySetException(new ArgumentException($"key {pending.Request.Key} failed {attempts} times, last on lane {lane}: {ex.Message.Split('\n')[0]}"));
            return;
        }
        Interlocked.Increment(ref _redispatched);
        _queue.Writer.TryWrite(pending with { Attempts = attempts });
    }

    /// <summary>Errors that say the lane (its silo, or the way to it) is gone rather than that the key is bad.</summary>
    public static bool IsLaneLoss(Exception ex) => ex switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or TimeoutException
            or ClientNotAvailableException or GatewayTooBusyException => true,
        // Placement refuses a lane whose silo membership no longer lists (LanePlacementDirector).
        ArgumentException a when a.Message.Contains("no active silo named", StringComparison.Ordinal) => true,
        AggregateException a => a.InnerExceptions.All(IsLaneLoss),
        _ => ex.InnerException is { } inner && IsLaneLoss(inner),
    };

    private sealed record Pending(GenerationRequest Request, long Enqueued, int Attempts);

    /// <summary>The workers of one lane; stopping cancels their waits, so their keys go back to the queue at once.</summary>
    private sealed class LaneWorkers(LaneInfo info)
    {
        private readonly CancellationTokenSource _stop = new();
        private Task[] _tasks = [];

        public LaneInfo Info { get; } = info;

        public bool Lost => LostReason is not null;

        public string? LostReason { get; private set; }

        public static LaneWorkers Start(LaneInfo info, int count, Func<LaneWorkers, CancellationToken, Task> work)
        {
            var lane = new LaneWorkers(info);
            lane._tasks = [.. Enumerable.Range(0, Math.Max(1, count)).Select(_ => Task.Run(() => work(lane, lane._stop.Token)))];
            return lane;
        }

        public void MarkLost(string reason) => LostReason ??= reason;

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_tasks);
            _stop.Dispose();
        }
    }
}

/// <summary>How the dispatcher polls, watches membership and gives up.</summary>
public sealed record DispatchOptions
{
    /// <summary>Longest a generation grain call waits before answering "still running" (well under Orleans' 30 s response timeout).</summary>
    public TimeSpan PollWait { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RediscoverEvery { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Bound on one re-discovery: a call that went to a gateway that just died would otherwise hold the watch loop
    /// (and so the detection of the dead lane) until the response timeout. A slow answer only skips one round.
    /// </summary>
    public TimeSpan DiscoverTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the run waits with no live lane before it stops (resumable).</summary>
    public TimeSpan NoLaneTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Failures of one key on live lanes (not lane losses) before the run stops with its error.</summary>
    public int MaxKeyFailures { get; init; } = 3;
}

/// <summary>
/// The run stopped because no lane was left; what finished is in samples.jsonl and --resume finishes it. An
/// IOException: the cluster is unreachable, which the command line reports as one line, not a stack trace.
/// </summary>
public sealed class NoLiveLaneException(string message) : IOException(message);

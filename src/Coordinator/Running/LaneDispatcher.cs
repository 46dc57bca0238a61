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
/// whose lane is lost (its silo or gateway refuses the connection, membership no longer lists it, 20 failed calls in a row)
/// goes back to the queue and runs on another lane; lanes that join mid-run get workers. A call whose error names
/// only another silo (a gateway, a directory partition that went away), no silo at all ("Silo unavailable"), or that
/// timed out is retried on the same lane after a pause instead: one dead silo costs its own lane, not every lane, and
/// a lane whose own silo died leaves when membership drops it, or after <see cref="DispatchOptions.MaxRetries"/> such
/// errors in a row. A key that was running on <see cref="DispatchOptions.MaxKeyLaneLosses"/> lost lanes stops the
/// run (it may be what kills them). A lost lane stays out for
/// <see cref="DispatchOptions.LostLaneCooldown"/> (doubling with each loss that follows no result) while membership still lists the same
/// silo incarnation, so a dead silo is not re-staffed and failed again until membership declares it dead; a silo
/// restarted under the same name (a new incarnation) is taken at once. Each call to a generation
/// grain returns within <see cref="DispatchOptions.PollWait"/> (<see cref="IGenerationGrain"/>), so a generation
/// may take hours while no call outlives Orleans' response timeout, and waiting for a slot never counts against one.
/// </summary>
public sealed class LaneDispatcher(ClusterSession cluster, string runId, int maxInFlightPerLane, DispatchOptions options, IRunObserver observer)
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly Dictionary<string, LaneWorkers> _lanes = [];
    private readonly Dictionary<string, Benched> _benched = [];
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
        var started = false;
        while (!_done.Task.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Lost lanes leave even when membership cannot be read (the last silo just died); new ones join when it can.
            var live = await TryDiscoverAsync(cancellationToken);
            // A lane leaves when its workers found it lost, when membership no longer lists its silo, or when the
            // silo serving it is a new incarnation (restarted under its name: the old one's calls can only fail).
            var liveById = live?.ToDictionary(l => l.Info.LaneId);
            string? Gone(LaneWorkers w) => w.LostReason ?? (liveById is null ? null
                : !liveById.TryGetValue(w.Info.LaneId, out var now) ? "membership no longer lists its silo"
                : now.Silo != w.Silo ? $"its silo restarted as {now.Silo}" : null);
            foreach (var (gone, reason) in _lanes.Select(l => (l.Key, Reason: Gone(l.Value))).Where(l => l.Reason is not null).ToList())
            {
                var workers = _lanes[gone];
                _lanes.Remove(gone);
                if (workers.Lost)
                {
                    // Doubling only while the lane fails without delivering anything in between.
                    var losses = !workers.Delivered && _benched.TryGetValue(gone, out var before) ? before.Losses + 1 : 1;
                    var pause = options.LostLaneCooldown * Math.Pow(2, Math.Min(losses - 1, 4));
                    _benched[gone] = new Benched(workers.Silo, Stopwatch.GetTimestamp() + (long)(pause.TotalSeconds * Stopwatch.Frequency), losses);
                }
                await workers.StopAsync();
                observer.OnLaneLost(gone, reason!);
                var old = Interlocked.Exchange(ref _epoch, new CancellationTokenSource());
                await old.CancelAsync();
            }
            foreach (var lane in live?.Where(l => !_lanes.ContainsKey(l.Info.LaneId) && !IsBenched(l)) ?? [])
            {
                var workers = WorkersFor(lane.Info);
                _lanes[lane.Info.LaneId] = LaneWorkers.Start(lane, workers, (l, stop) => WorkAsync(l, deliver, stop, cancellationToken));
                if (started)
                {
                    observer.OnLaneJoined(lane.Info.LaneId, lane.Silo, workers);
                }
            }
            started |= live is not null;
            // A lane that membership lists but that waits out its cooldown is not "no lane": it comes back by itself.
            if (_lanes.Count == 0 && !(live?.Any(IsBenched) ?? false))
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

    /// <summary>A lane lost a moment ago whose silo incarnation membership still lists waits out its cooldown.</summary>
    private bool IsBenched(LiveLane lane) =>
        _benched.TryGetValue(lane.Info.LaneId, out var benched) && benched.Silo == lane.Silo && Stopwatch.GetTimestamp() < benched.Until;

    /// <summary>
    /// Whose failure an error from a call to a lane on silo <paramref name="laneSilo"/> (gateway
    /// <paramref name="laneGateway"/>) is: the key's (not a lane loss: counts toward
    /// <see cref="DispatchOptions.MaxKeyFailures"/>); the lane's (its own silo or gateway refused the connection:
    /// "Unable to connect to" that address); else another silo's or unclear (a gateway or directory partition that
    /// died, "Silo unavailable", a timeout): retry on the lane, which membership drops meanwhile if its silo is the
    /// one that died. Merely naming the lane's silo is not enough: a message rejected by a dying gateway quotes its
    /// target, the live lane (seen in the fleet test: a healthy silo's lane was counted lost).
    /// </summary>
    public static FailureScope Classify(Exception ex, string laneSilo, string laneGateway = "")
    {
        if (!IsLaneLoss(ex))
        {
            return FailureScope.Key;
        }
        var text = new System.Text.StringBuilder();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            text.Append(e.Message).Append('\n');
            if (e is AggregateException a)
            {
                foreach (var inner in a.InnerExceptions)
                {
                    text.Append(inner.ToString()).Append('\n');
                }
            }
        }
        var message = text.ToString();
        return message.Contains($"Unable to connect to {laneSilo}", StringComparison.Ordinal)
            || (laneGateway.Length > 0 && message.Contains($"Unable to connect to {laneGateway}", StringComparison.Ordinal))
            ? FailureScope.Lane : FailureScope.Retry;
    }

    private async Task<IReadOnlyList<LiveLane>?> TryDiscoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await cluster.DiscoverLiveLanesAsync().WaitAsync(options.DiscoverTimeout, cancellationToken);
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
            var retries = 0;
            while (true)
            {
                try
                {
                    // An answer ("still running") ends a series of retries: the bound is on failures in a row.
                    var result = await PollAsync(grain, pending.Request, laneStop, () => retries = 0);
                    deliver(pending.Request, result, queued);
                    lane.Delivered = true;
                    if (Interlocked.Decrement(ref _remaining) == 0)
                    {
                        _done.TrySetResult();
                    }
                    break;
                }
                catch (Exception ex) when (!runStop.IsCancellationRequested)
                {
                    var scope = laneStop.IsCancellationRequested ? FailureScope.Lane : Classify(ex, lane.Silo, lane.Gateway);
                    if (scope == FailureScope.Retry && ++retries <= options.MaxRetries && await PauseAsync(laneStop))
                    {
                        // Most likely another silo went away under this call and the lane's generation is unharmed:
                        // ask again. Were it this lane's silo, membership drops the lane (laneStop) meanwhile.
                        continue;
                    }
                    Requeue(pending, lane, ex);
                    if (scope != FailureScope.Key)
                    {
                        lane.MarkLost(ex is OperationCanceledException ? "stopped" : $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
                        _wake.Release();
                        return;
                    }
                    break;
                }
                catch (OperationCanceledException) when (runStop.IsCancellationRequested)
                {
                    _ = grain.CancelAsync();
                    return;
                }
            }
        }
    }

    /// <summary>Polls a generation to its result; a wait cut short by another lane's loss is re-sent (the generation goes on).</summary>
    private async Task<GenerationResult> PollAsync(IGenerationGrain grain, GenerationRequest request, CancellationToken laneStop, Action onAnswer)
    {
        while (true)
        {
            var epoch = Volatile.Read(ref _epoch).Token;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(laneStop, epoch);
            try
            {
                if (await grain.GenerateAsync(request, options.PollWait).WaitAsync(wait.Token) is { } result)
                {
                    return result;
                }
                onAnswer();
            }
            catch (OperationCanceledException) when (epoch.IsCancellationRequested && !laneStop.IsCancellationRequested)
            {
                // Another lane was lost: ask again (through a live gateway); the generation itself goes on.
            }
        }
    }

    /// <summary>Waits <see cref="DispatchOptions.RetryPause"/>; false when the lane stopped meanwhile.</summary>
    private async Task<bool> PauseAsync(CancellationToken laneStop)
    {
        try
        {
            await Task.Delay(options.RetryPause, laneStop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Requeue(Pending pending, LaneWorkers workers, Exception ex)
    {
        var lane = workers.Info.LaneId;
        var lost = IsLaneLoss(ex) || ex is OperationCanceledException;
        var attempts = pending.Attempts + (lost ? 0 : 1);
        // Distinct silo incarnations: a key handed to a dead lane's workers before membership drops that lane is not
        // counted against it twice.
        var lostOn = lost ? pending.LostOn.Add(workers.Silo) : pending.LostOn;
        if (lostOn.Count >= options.MaxKeyLaneLosses)
        {
            // A sample that brings its silo down (out of memory, a crash in the runtime) would otherwise go round the
            // fleet and take every silo with it.
            _done.TrySetException(new IOException($"key {pending.Request.Key} was running on {lostOn.Count} lanes that were lost (last {lane}: " +
                $"{ex.Message.Split('\n')[0]}); it may be what brings them down, so the run stops here. What finished is in samples.jsonl; " +
                "check the silos' logs, then repeat the command with --resume."));
            return;
        }
        if (attempts >= options.MaxKeyFailures)
        {
            _done.TrySetException(new ArgumentException($"key {pending.Request.Key} failed {attempts} times, last on lane {lane}: {ex.Message.Split('\n')[0]}"));
            return;
        }
        if (attempts > pending.Attempts)
        {
            observer.OnKeyFailed(pending.Request.Key.ToString(), lane, $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}", attempts, options.MaxKeyFailures);
        }
        Interlocked.Increment(ref _redispatched);
        _queue.Writer.TryWrite(pending with { Attempts = attempts, LostOn = lostOn });
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

    private sealed record Pending(GenerationRequest Request, long Enqueued, int Attempts)
    {
        /// <summary>Silo incarnations whose lanes were lost while this key ran on them.</summary>
        public System.Collections.Immutable.ImmutableHashSet<string> LostOn { get; init; } = System.Collections.Immutable.ImmutableHashSet<string>.Empty;
    }

    private sealed record Benched(string Silo, long Until, int Losses);

    /// <summary>The workers of one lane; stopping cancels their waits, so their keys go back to the queue at once.</summary>
    private sealed class LaneWorkers(LiveLane lane)
    {
        private readonly CancellationTokenSource _stop = new();
        private Task[] _tasks = [];

        public LaneInfo Info { get; } = lane.Info;

        /// <summary>The silo incarnation serving the lane when its workers started.</summary>
        public string Silo { get; } = lane.Silo;

        /// <summary>That silo's gateway as a client's errors name it.</summary>
        public string Gateway { get; } = lane.Gateway;

        public bool Lost => LostReason is not null;

        /// <summary>Whether the lane delivered a result (a lane that works between losses is not doubly benched).</summary>
        public volatile bool Delivered;

        public string? LostReason { get; private set; }

        public static LaneWorkers Start(LiveLane info, int count, Func<LaneWorkers, CancellationToken, Task> work)
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

    /// <summary>How long a lost lane stays out while membership still lists the same silo incarnation (a silo that
    /// died and is not yet declared dead, or one that timed out); doubles with each loss of that lane, up to 16x.</summary>
    public TimeSpan LostLaneCooldown { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Pause before a call whose error names another silo or none (<see cref="FailureScope.Retry"/>) is sent again on the same lane.</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Such retries of one key in a row (no answer in between) before its lane counts as lost after all
    /// (20 x 0.5 s: longer than membership takes to declare a dead silo dead with Orleans' default probes).</summary>
    public int MaxRetries { get; init; } = 20;

    /// <summary>Lanes that may be lost while one key runs on them before the run stops (the key may be what kills them).</summary>
    public int MaxKeyLaneLosses { get; init; } = 3;
}

/// <summary>Whose failure a failed call to a lane is (<see cref="LaneDispatcher.Classify"/>).</summary>
public enum FailureScope
{
    /// <summary>The key's: the lane answered with an error.</summary>
    Key,

    /// <summary>The lane's: its own silo refused the connection.</summary>
    Lane,

    /// <summary>Another silo's (named), or unclear (no silo named, a timeout): retry on the same lane.</summary>
    Retry,
}

/// <summary>
/// The run stopped because no lane was left; what finished is in samples.jsonl and --resume finishes it. An
/// IOException: the cluster is unreachable, which the command line reports as one line, not a stack trace.
/// </summary>
public sealed class NoLiveLaneException(string message) : IOException(message);

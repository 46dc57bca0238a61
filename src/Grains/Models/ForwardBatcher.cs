using EvalCluster.Inference;
using EvalCluster.Inference.Models;

namespace EvalCluster.Grains.Models;

/// <summary>
/// Owns one <see cref="ICausalLm"/> and its dedicated thread: every model call (open, close, forward) runs on
/// that thread, so ONNX Runtime never blocks the Orleans scheduler and the non-thread-safe model sees one
/// caller. Forward requests that arrive together run as one step planned by <see cref="StepPlanner"/> (decode
/// first, prefills chunked under the token budget); the thread waits up to <c>maxWait</c> for more requests
/// unless every open session already has one queued or the step is full. Waiting is never timed out here:
/// a request waits for its turn however long the queue is. Sessions are admitted by the KV memory they actually
/// hold (<see cref="KvAdmission"/>): a session's forwards wait until it is resident, and a step that would pass
/// the budget preempts the youngest session (recompute: its tokens are fed again when memory frees), so no call
/// fails or deadlocks for memory. Session ids given out here are the batcher's, not the engine's.
/// </summary>
public sealed class ForwardBatcher : IDisposable
{
    private readonly ICausalLm _model;
    private readonly int _maxBatch;
    private readonly int _maxTokens;
    private readonly TimeSpan _maxWait;
    private readonly Action<int> _onBatch;
    private readonly object _gate = new();
    private readonly List<BatchWork> _queue = [];
    private readonly Thread _thread;
    private readonly KvAdmission _kv;
    private int _openSessions;
    private int _waiting;
    private long _version;
    private long _stalledAt = -1;
    private bool _stopping;

    /// <param name="maxBatch">Most sessions in one step.</param>
    /// <param name="maxWait">Longest the first request of a step waits for others to join it.</param>
    /// <param name="onBatch">Called with each step's session count (metrics).</param>
    /// <param name="maxTokensPerStep">Token budget of one step; longer prefills are fed in chunks.</param>
    /// <param name="kv">KV budget and admission (default: unlimited).</param>
    public ForwardBatcher(ICausalLm model, int maxBatch, TimeSpan maxWait, Action<int>? onBatch = null, int maxTokensPerStep = 2048, KvLimits? kv = null)
    {
        _kv = new KvAdmission(kv ?? KvLimits.None, model.KvBytesPerToken);
        _model = model;
        _maxBatch = Math.Max(1, maxBatch);
        _maxTokens = Math.Max(1, maxTokensPerStep);
        _maxWait = maxWait;
        _onBatch = onBatch ?? (_ => { });
        // ONNX Runtime kernels run on this thread too; give it a native-sized stack (the .NET default is 1.5 MB).
        _thread = new Thread(Loop, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = $"model:{model.Name}" };
        _thread.Start();
    }

    public ICausalLm Model => _model;

    /// <summary>Requests queued and not yet finished (vLLM's num_requests_waiting).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Most sessions resident (holding KV) at once so far.</summary>
    public int MaxResident => _kv.MaxResident;

    /// <summary>Sessions preempted so far (their KV dropped and recomputed later).</summary>
    public int Preemptions => _kv.Preemptions;

    /// <summary>Opens a session that will hold at most <paramref name="maxTokens"/> tokens (its worst case); it holds
    /// no KV until its first forward is admitted.</summary>
    public Task<int> OpenSessionAsync(int maxTokens = 0) => Enqueue(new BatchWork.Call<int>(() =>
    {
        var session = _kv.Add(maxTokens);
        Interlocked.Increment(ref _openSessions);
        return session;
    }));

    /// <summary>Every token the session has been fed (also while it is preempted).</summary>
    public Task<IReadOnlyList<int>> SessionTokensAsync(int session) => Enqueue(new BatchWork.Call<IReadOnlyList<int>>(() =>
        _kv.Engine(session) is { } engine ? [.. _model.SessionTokens(engine)] : _kv.Saved(session) ?? []));

    public Task<bool> CloseSessionAsync(int session)
    {
        // The session stops counting as one the next batch waits for now, not when the close reaches the model
        // thread: queued behind a forward, it would otherwise hold that batch until the max wait.
        Interlocked.Decrement(ref _openSessions);
        return Enqueue(new BatchWork.Call<bool>(() =>
        {
            if (_kv.Remove(session) is { } engine)
            {
                _model.CloseSession(engine);
            }
            return true;
        }));
    }

    /// <summary>Runs any other model call (decode, tokenizer) on the model thread (session ids here are the engine's).</summary>
    public Task<T> InvokeAsync<T>(Func<ICausalLm, T> call) => Enqueue(new BatchWork.Call<T>(() => call(_model)));

    public Task<ForwardResult> ForwardAsync(int session, ReadOnlyMemory<int> tokens, CancellationToken cancellationToken = default)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException($"forward request for session {session} of {_model.Name} has no tokens");
        }
        var work = new BatchWork.Forward(session, tokens);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() => work.Completion.TrySetCanceled(cancellationToken));
        }
        return Enqueue(work);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
        _model.Dispose();
    }

    private Task<T> Enqueue<T>(BatchWork.Typed<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _queue.Add(work);
            _version++;
            Monitor.PulseAll(_gate);
        }
        return work.Completion.Task;
    }

    private void Loop()
    {
        while (TakeNext() is { } next)
        {
            if (next.Call is { } call)
            {
                call.Run();
            }
            else if (!Step(next.Forwards!))
            {
                lock (_gate)
                {
                    // The version the step saw: work queued while it ran wakes the next step at once.
                    _stalledAt = next.Version;
                }
            }
        }
    }

    // Control calls run alone, in arrival order; forwards gather into one step. After a step could not run for
    // memory, nothing is retried until new work arrives, and queued calls (closes free memory) go first.
    private (BatchWork? Call, List<BatchWork.Forward>? Forwards, long Version)? TakeNext()
    {
        lock (_gate)
        {
            while (true)
            {
                _queue.RemoveAll(w => w is BatchWork.Forward f && f.Completion.Task.IsCompleted);
                if (_queue.Count > 0 && (_version != _stalledAt || _queue.Exists(w => w is not BatchWork.Forward)))
                {
                    break;
                }
                if (_stopping)
                {
                    return null;
                }
                Monitor.Wait(_gate);
            }
            var stalled = _stalledAt >= 0;
            _stalledAt = -1;
            var callAt = stalled ? _queue.FindIndex(w => w is not BatchWork.Forward) : _queue[0] is BatchWork.Forward ? -1 : 0;
            if (callAt >= 0)
            {
                var call = _queue[callAt];
                _queue.RemoveAt(callAt);
                return (call, null, _version);
            }
            var deadline = DateTime.UtcNow + _maxWait;
            while (!_stopping && ForwardCount() < Math.Min(_maxBatch, Volatile.Read(ref _openSessions)))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                {
                    break;
                }
            }
            return (null, [.. _queue.OfType<BatchWork.Forward>().Where(f => !f.IsCancelled)], _version);
        }
    }

    // One step on the model thread: admits waiting sessions that fit, plans the resident ones' pieces, preempts the
    // youngest while the step's growth does not fit. Returns false when nothing could run.
    private bool Step(List<BatchWork.Forward> forwards)
    {
        Admit(forwards);
        for (var attempt = 0; attempt <= forwards.Count; attempt++)
        {
            var step = StepPlanner.Plan(forwards.Where(f => _kv.Engine(f.Session) is not null), _maxBatch, _maxTokens);
            if (step.Count == 0)
            {
                return false;
            }
            if (_kv.FitsGrowth(step.Sum(p => (long)p.Count)))
            {
                BatchWork.RunStep(_model, step, s => _kv.Engine(s)!.Value, _onBatch);
                foreach (var (work, count) in step)
                {
                    _kv.Grew(work.Session, count);
                }
                return true;
            }
            var victim = _kv.Youngest()!.Value;
            if (_kv.Resident == 1)
            {
                // Alone and still too large: only a session fed past its declared size gets here.
                Fail(forwards.Where(f => f.Session == victim), victim);
                return true;
            }
            var engine = _kv.Engine(victim)!.Value;
            _kv.Preempt(victim, [.. _model.SessionTokens(engine)]);
            // Not readmitted in this step: its readmission needs more than the growth that did not fit.
            _model.CloseSession(engine);
        }
        return false;
    }

    // Waiting sessions with queued work become resident oldest first while they fit; a preempted one gets its
    // tokens back as a replay piece queued before its own request.
    private void Admit(List<BatchWork.Forward> forwards)
    {
        var waiting = forwards.Where(f => _kv.Engine(f.Session) is null).GroupBy(f => f.Session).OrderBy(g => g.Key).ToList();
        var admitted = 0;
        var pending = 0L;
        foreach (var group in waiting)
        {
            var first = group.First();
            var firstTokens = Math.Min(first.Remaining, _maxTokens);
            var decision = _kv.CanAdmit(group.Key, firstTokens, pending);
            if (decision == KvAdmission.Decision.TooLarge)
            {
                Fail(group, group.Key);
                continue;
            }
            if (decision == KvAdmission.Decision.Wait)
            {
                break;
            }
            var saved = _kv.Saved(group.Key);
            pending += _kv.NeedTokens(group.Key, firstTokens);
            _kv.Admitted(group.Key, _model.OpenSession());
            admitted++;
            if (saved is { Length: > 0 })
            {
                var replay = new BatchWork.Forward(group.Key, saved);
                forwards.Insert(forwards.IndexOf(first), replay);
                lock (_gate)
                {
                    _queue.Insert(_queue.IndexOf(first), replay);
                }
            }
        }
        var nowWaiting = waiting.Count - admitted;
        if (nowWaiting != _waiting)
        {
            _kv.Limits.WaitingChanged(nowWaiting - _waiting);
            _waiting = nowWaiting;
        }
    }

    private void Fail(IEnumerable<BatchWork.Forward> works, int session)
    {
        var ex = new InferenceException($"model {_model.Name}: session {session} needs more KV bytes than the lane's whole budget of {_kv.Limits.BudgetBytes}; raise the lane's KvBudgetBytes or lower --max-new-tokens.");
        foreach (var f in works)
        {
            f.Completion.TrySetException(ex);
        }
    }

    private int ForwardCount() => _queue.Count(w => w is BatchWork.Forward);
}

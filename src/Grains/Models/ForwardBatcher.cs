using EvalCluster.Inference.Models;

namespace EvalCluster.Grains.Models;

/// <summary>
/// Owns one <see cref="ICausalLm"/> and its dedicated thread: every model call (open, close, forward) runs on
/// that thread, so ONNX Runtime never blocks the Orleans scheduler and the non-thread-safe model sees one
/// caller. Forward requests that arrive together run as one step planned by <see cref="StepPlanner"/> (decode
/// first, prefills chunked under the token budget); the thread waits up to <c>maxWait</c> for more requests
/// unless every open session already has one queued or the step is full. Waiting is never timed out here:
/// a request waits for its turn however long the queue is.
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
    private int _openSessions;
    private bool _stopping;

    /// <param name="maxBatch">Most sessions in one step.</param>
    /// <param name="maxWait">Longest the first request of a step waits for others to join it.</param>
    /// <param name="onBatch">Called with each step's session count (metrics).</param>
    /// <param name="maxTokensPerStep">Token budget of one step; longer prefills are fed in chunks.</param>
    public ForwardBatcher(ICausalLm model, int maxBatch, TimeSpan maxWait, Action<int>? onBatch = null, int maxTokensPerStep = 2048)
    {
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

    public Task<int> OpenSessionAsync() => Enqueue(new BatchWork.Call<int>(() =>
    {
        var session = _model.OpenSession();
        Interlocked.Increment(ref _openSessions);
        return session;
    }));

    public Task<bool> CloseSessionAsync(int session)
    {
        // The session stops counting as one the next batch waits for now, not when the close reaches the model
        // thread: queued behind a forward, it would otherwise hold that batch until the max wait.
        Interlocked.Decrement(ref _openSessions);
        return Enqueue(new BatchWork.Call<bool>(() =>
        {
            _model.CloseSession(session);
            return true;
        }));
    }

    /// <summary>Runs any other model call (decode, tokenizer, KV query) on the model thread.</summary>
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
            else
            {
                BatchWork.RunStep(_model, next.Step!, _onBatch);
            }
        }
    }

    // Control calls run alone, in arrival order; forwards gather into one planned step.
    private (BatchWork? Call, List<(BatchWork.Forward Work, int Count)>? Step)? TakeNext()
    {
        lock (_gate)
        {
            while (true)
            {
                _queue.RemoveAll(w => w is BatchWork.Forward f && f.Completion.Task.IsCompleted);
                if (_queue.Count > 0)
                {
                    break;
                }
                if (_stopping)
                {
                    return null;
                }
                Monitor.Wait(_gate);
            }
            if (_queue[0] is not BatchWork.Forward)
            {
                var call = _queue[0];
                _queue.RemoveAt(0);
                return (call, null);
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
            return (null, StepPlanner.Plan(_queue.OfType<BatchWork.Forward>(), _maxBatch, _maxTokens));
        }
    }

    private int ForwardCount() => _queue.Count(w => w is BatchWork.Forward);
}

using EvalCluster.Inference.Models;

namespace EvalCluster.Grains.Models;

/// <summary>
/// Owns one <see cref="ICausalLm"/> and its dedicated thread: every model call (open, close, forward) runs on
/// that thread, so ONNX Runtime never blocks the Orleans scheduler and the non-thread-safe model sees one
/// caller. Forward requests that arrive together are coalesced into one batched pass: the thread waits up to
/// <c>maxWait</c> for more requests unless every open session already has one queued or the batch is full.
/// </summary>
public sealed class ForwardBatcher : IDisposable
{
    private readonly ICausalLm _model;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly Action<int> _onBatch;
    private readonly object _gate = new();
    private readonly List<BatchWork> _queue = [];
    private readonly Thread _thread;
    private int _openSessions;
    private bool _stopping;

    public ForwardBatcher(ICausalLm model, int maxBatch, TimeSpan maxWait, Action<int>? onBatch = null)
    {
        _model = model;
        _maxBatch = Math.Max(1, maxBatch);
        _maxWait = maxWait;
        _onBatch = onBatch ?? (_ => { });
        // ONNX Runtime kernels run on this thread too; give it a native-sized stack (the .NET default is 1.5 MB).
        _thread = new Thread(Loop, maxStackSize: 16 * 1024 * 1024) { IsBackground = true, Name = $"model:{model.Name}" };
        _thread.Start();
    }

    public ICausalLm Model => _model;

    /// <summary>Requests queued and not yet running (vLLM's num_requests_waiting).</summary>
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
        var work = new BatchWork.Forward(new ForwardRequest(session, tokens));
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
        while (TakeNext() is { } work)
        {
            work.Run(_model, _onBatch);
        }
    }

    // Control calls run alone, in arrival order; forwards gather into one batch of distinct sessions.
    private BatchWork? TakeNext()
    {
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
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
                return call;
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
            return new BatchWork.Batch(TakeForwards());
        }
    }

    private int ForwardCount() => _queue.Count(w => w is BatchWork.Forward);

    private List<BatchWork.Forward> TakeForwards()
    {
        var batch = new List<BatchWork.Forward>();
        var sessions = new HashSet<int>();
        for (var i = 0; i < _queue.Count && batch.Count < _maxBatch; i++)
        {
            if (_queue[i] is BatchWork.Forward f && sessions.Add(f.Request.Session))
            {
                batch.Add(f);
                _queue.RemoveAt(i--);
            }
        }
        return batch;
    }
}

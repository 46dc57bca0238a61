namespace EvalCluster.Grains.Models;

/// <summary>
/// Admission control for KV-cache memory: a session is admitted only when its worst-case bytes fit what is
/// left of the budget; otherwise it waits, first come first served, until earlier sessions release theirs.
/// A request larger than the whole budget fails at once (waiting could never succeed).
/// </summary>
public sealed class KvBudget
{
    private readonly object _gate = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Admitted)> _waiters = new();
    private long _used;

    public KvBudget(long totalBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalBytes);
        TotalBytes = totalBytes;
    }

    public long TotalBytes { get; }

    public long UsedBytes
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    public Task AdmitAsync(long bytes, CancellationToken cancellationToken = default)
    {
        if (bytes > TotalBytes)
        {
            throw new ArgumentException($"a session needs {bytes} KV bytes but the lane's whole budget is {TotalBytes}; raise the silo's Kv:BudgetBytes or lower --max-new-tokens.");
        }
        lock (_gate)
        {
            if (_waiters.Count == 0 && _used + bytes <= TotalBytes)
            {
                _used += bytes;
                return Task.CompletedTask;
            }
            var admitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var node = _waiters.AddLast((bytes, admitted));
            cancellationToken.Register(() => Cancel(node, cancellationToken));
            return admitted.Task;
        }
    }

    public void Release(long bytes)
    {
        var admit = new List<TaskCompletionSource>();
        lock (_gate)
        {
            _used = Math.Max(0, _used - bytes);
            while (_waiters.First is { } first && _used + first.Value.Bytes <= TotalBytes)
            {
                _used += first.Value.Bytes;
                _waiters.RemoveFirst();
                admit.Add(first.Value.Admitted);
            }
        }
        admit.ForEach(a => a.TrySetResult());
    }

    private void Cancel(LinkedListNode<(long Bytes, TaskCompletionSource Admitted)> node, CancellationToken token)
    {
        lock (_gate)
        {
            if (node.List is null)
            {
                return;
            }
            _waiters.Remove(node);
        }
        node.Value.Admitted.TrySetCanceled(token);
        // A cancelled head may have blocked smaller requests behind it.
        Release(0);
    }
}

namespace EvalCluster.Grains.Models;

/// <summary>A model grain's open sessions: admitted KV bytes and last use, for idle eviction.</summary>
internal sealed class ModelSessions
{
    private readonly Dictionary<int, (long Bytes, DateTime LastUsed)> _open = [];

    public int Count => _open.Count;

    public void Add(int session, long bytes) => _open[session] = (bytes, DateTime.UtcNow);

    public bool Touch(int session)
    {
        if (!_open.TryGetValue(session, out var s))
        {
            return false;
        }
        _open[session] = (s.Bytes, DateTime.UtcNow);
        return true;
    }

    public bool Remove(int session, out long bytes)
    {
        var removed = _open.Remove(session, out var s);
        bytes = s.Bytes;
        return removed;
    }

    public IReadOnlyList<int> IdleSince(DateTime cutoff) => [.. _open.Where(p => p.Value.LastUsed < cutoff).Select(p => p.Key)];

    public IReadOnlyList<int> All => [.. _open.Keys];
}

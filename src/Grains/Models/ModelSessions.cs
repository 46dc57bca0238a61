namespace EvalCluster.Grains.Models;

/// <summary>A model grain's open sessions and their last use, for idle eviction.</summary>
internal sealed class ModelSessions
{
    private readonly Dictionary<int, DateTime> _open = [];

    public int Count => _open.Count;

    public void Add(int session) => _open[session] = DateTime.UtcNow;

    public bool Touch(int session)
    {
        if (!_open.ContainsKey(session))
        {
            return false;
        }
        _open[session] = DateTime.UtcNow;
        return true;
    }

    public bool Remove(int session) => _open.Remove(session);

    public IReadOnlyList<int> IdleSince(DateTime cutoff) => [.. _open.Where(p => p.Value < cutoff).Select(p => p.Key)];

    public IReadOnlyList<int> All => [.. _open.Keys];
}

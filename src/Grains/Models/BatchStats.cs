namespace EvalCluster.Grains.Models;

/// <summary>Counts of batched forward passes by batch size, for tests and benchmarks (thread-safe).</summary>
public sealed class BatchStats
{
    private readonly object _gate = new();
    private readonly SortedDictionary<int, long> _bySize = new();

    public void Add(int batchSize)
    {
        lock (_gate)
        {
            _bySize[batchSize] = _bySize.GetValueOrDefault(batchSize) + 1;
        }
    }

    public IReadOnlyDictionary<int, long> Snapshot()
    {
        lock (_gate)
        {
            return new SortedDictionary<int, long>(_bySize);
        }
    }
}

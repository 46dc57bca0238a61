using System.Collections.Concurrent;

namespace EvalCluster.Inference.Models;

/// <summary>
/// Reused float32 rows for next-token log-probabilities, one pool per vocabulary size. A decode step hands every
/// session a row (600 KB at Qwen3's 151,936-token vocabulary: a large-object-heap allocation, zeroed, then
/// collected with the next gen-2 GC); the decode loop gives each row back once the step's token is chosen
/// (<see cref="Decoding.SequenceLoop"/>), so steady decoding allocates none. A row that is never returned is simply
/// collected. Bounded: at most <see cref="MaxPooledBytes"/> per vocabulary size are kept.
/// </summary>
public static class LogProbRows
{
    /// <summary>Bytes of idle rows kept per vocabulary size (256 MB: ~440 rows at 151,936 entries).</summary>
    public const long MaxPooledBytes = 256L << 20;

    private static readonly ConcurrentDictionary<int, Pool> Pools = new();
    /// <summary>Rows of <paramref name="length"/> entries allocated since the process started.</summary>
    public static long AllocatedFor(int length) => Pools.TryGetValue(length, out var pool) ? Interlocked.Read(ref pool.Allocated) : 0;

    /// <summary>A row of exactly <paramref name="length"/> entries, reused when one is idle; its contents are arbitrary.</summary>
    public static float[] Rent(int length)
    {
        var pool = PoolFor(length);
        if (pool.Rows.TryDequeue(out var row))
        {
            Interlocked.Decrement(ref pool.Count);
            return row;
        }
        Interlocked.Increment(ref pool.Allocated);
        return GC.AllocateUninitializedArray<float>(length);
    }

    /// <summary>
    /// Gives a row back. The caller must hold no other reference to it: the next <see cref="Rent"/> of that length
    /// may overwrite it. Null is ignored.
    /// </summary>
    public static void Return(float[]? row)
    {
        if (row is null || row.Length == 0)
        {
            return;
        }
        var pool = PoolFor(row.Length);
        if (Interlocked.Increment(ref pool.Count) > pool.Capacity)
        {
            Interlocked.Decrement(ref pool.Count);
            return;
        }
        pool.Rows.Enqueue(row);
    }

    private static Pool PoolFor(int length) => Pools.GetOrAdd(length, static l => new Pool(Math.Max(4, (int)(MaxPooledBytes / (4L * l)))));

    private sealed class Pool(int capacity)
    {
        public long Allocated;
        public readonly ConcurrentQueue<float[]> Rows = new();
        public readonly int Capacity = capacity;
        public int Count;
    }
}

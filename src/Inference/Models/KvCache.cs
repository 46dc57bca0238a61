namespace EvalCluster.Inference.Models;

/// <summary>
/// One session's KV cache: per layer a key and a value buffer laid out [kv_heads][capacity][head_dim], so
/// each head's history is contiguous and copies into a batch are one block per head.
/// </summary>
internal sealed class KvCache<T>
    where T : unmanaged
{
    private readonly int _heads;
    private readonly int _headDim;
    private readonly T[][] _buffers;
    private int _capacity;

    public KvCache(int layers, int heads, int headDim)
    {
        _heads = heads;
        _headDim = headDim;
        _capacity = 0;
        _buffers = new T[layers * 2][];
        for (var i = 0; i < _buffers.Length; i++)
        {
            _buffers[i] = [];
        }
    }

    public int Length { get; private set; }

    /// <summary>Copies buffer <paramref name="slot"/> (layer*2 + 0 for key, +1 for value) into a batch tensor
    /// [batch][heads][pastLength][headDim] at row <paramref name="row"/>, right-aligned (left padding).</summary>
    public void CopyTo(int slot, Span<T> batch, int row, int pastLength)
    {
        var src = _buffers[slot];
        var offset = pastLength - Length;
        for (var h = 0; h < _heads; h++)
        {
            var dst = ((row * _heads + h) * pastLength + offset) * _headDim;
            src.AsSpan(h * _capacity * _headDim, Length * _headDim).CopyTo(batch.Slice(dst, Length * _headDim));
        }
    }

    /// <summary>Appends <paramref name="count"/> positions from a present tensor [batch][heads][total][headDim]
    /// starting at position <paramref name="start"/> of row <paramref name="row"/>. Call for every slot, then <see cref="Commit"/>.</summary>
    public void Append(int slot, ReadOnlySpan<T> present, int row, int total, int start, int count)
    {
        EnsureCapacity(Length + count);
        var dst = _buffers[slot];
        for (var h = 0; h < _heads; h++)
        {
            var src = ((row * _heads + h) * total + start) * _headDim;
            present.Slice(src, count * _headDim).CopyTo(dst.AsSpan((h * _capacity + Length) * _headDim, count * _headDim));
        }
    }

    public void Commit(int count) => Length += count;

    private void EnsureCapacity(int needed)
    {
        if (needed <= _capacity)
        {
            return;
        }
        var capacity = Math.Max(needed, Math.Max(16, _capacity * 2));
        for (var slot = 0; slot < _buffers.Length; slot++)
        {
            var old = _buffers[slot];
            var grown = new T[_heads * capacity * _headDim];
            for (var h = 0; h < _heads && Length > 0; h++)
            {
                old.AsSpan(h * _capacity * _headDim, Length * _headDim).CopyTo(grown.AsSpan(h * capacity * _headDim));
            }
            _buffers[slot] = grown;
        }
        _capacity = capacity;
    }
}

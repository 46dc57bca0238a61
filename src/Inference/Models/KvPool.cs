using System.Runtime.InteropServices;

namespace EvalCluster.Inference.Models;

/// <summary>
/// A model's resident KV memory: per layer one key and one value buffer laid out
/// [slots][kv_heads][capacity][head_dim] in the model's device memory (<see cref="KvMemory"/>), one slot per open
/// session, plus a resident attention mask [slots][capacity + 1] for decode steps. Any contiguous slot range is a
/// valid past_key_values tensor [rows, kv_heads, capacity, head_dim] without a copy (its strides are the pool's),
/// so a decode step feeds the pool itself and writes back only the new token's K/V. A session's tokens sit at
/// positions 0..length-1 of its row; the holes up to capacity are masked (its mask row is length ones, then
/// zeros, then the new token's one). Capacity grows (and shrinks) with the longest session and slots are kept
/// dense by moving the last session into a freed slot; both copies happen on open/close/growth, not per step, and
/// are counted apart (<see cref="RelayoutBytes"/>).
/// </summary>
internal sealed unsafe class KvPool : IDisposable
{
    private readonly int _buffers;
    private readonly KvMemory _memory;
    private byte*[] _kv;
    private long* _mask;
    private int[] _length;
    private bool[] _used;

    /// <param name="maxCapacity">Positions a slot never needs more of (the model's context + 1: a decode range writes
    /// one throw-away position past a full row); growth stops there.</param>
    /// <param name="decodeMask">Keep the resident decode mask (Optimum graphs; a GenAI graph's decode keeps its own).</param>
    public KvPool(int layers, int kvHeads, int headDim, int elementSize, KvMemory memory, int maxCapacity = int.MaxValue, bool decodeMask = true)
    {
        _memory = memory;
        HasMask = decodeMask;
        MaxCapacity = maxCapacity;
        KvHeads = kvHeads;
        _buffers = 2 * layers;
        TokenBytes = (long)headDim * elementSize;
        _kv = new byte*[_buffers];
        _length = [];
        _used = [];
        Allocate(0, 0);
    }

    public int KvHeads { get; }

    public int MaxCapacity { get; }

    /// <summary>Whether the pool keeps the resident decode mask (<see cref="MaskRow"/>).</summary>
    public bool HasMask { get; }

    /// <summary>Bytes of one position of one head (head_dim x element size).</summary>
    public long TokenBytes { get; }

    public int Slots { get; private set; }

    public int Capacity { get; private set; }

    /// <summary>Slots in use; they are always 0..Count-1 after <see cref="Compact"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes copied to grow, shrink or compact the pool (amortised, not per step).</summary>
    public long RelayoutBytes { get; private set; }

    /// <summary>KV bytes allocated (all layers, keys and values, every slot at full capacity).</summary>
    public long AllocatedBytes => (long)Slots * Capacity * KvHeads * TokenBytes * _buffers;

    /// <summary>Changes whenever the buffers are reallocated (views over the old ones are then invalid).</summary>
    public long Generation { get; private set; }

    public byte* Buffer(int index) => _kv[index];

    /// <summary>Positions the session in <paramref name="slot"/> holds (its mask row has that many leading ones).</summary>
    public int Length(int slot) => _length[slot];

    /// <summary>Pointer to slot <paramref name="slot"/>'s mask row (capacity + 1 int64, the last one is the new token's).</summary>
    public long* MaskRow(int slot) => _mask + (long)slot * (Capacity + 1);

    /// <summary>Byte offset of (slot, head, position) in each KV buffer.</summary>
    public long Offset(int slot, int head, int position) => (((long)slot * KvHeads + head) * Capacity + position) * TokenBytes;

    public int Take()
    {
        var slot = Array.IndexOf(_used, false, 0, Slots);
        if (slot < 0)
        {
            Relayout(Math.Max(4, Slots * 2), Capacity);
            slot = Array.IndexOf(_used, false);
        }
        _used[slot] = true;
        _length[slot] = 0;
        Count++;
        return slot;
    }

    public void Free(int slot)
    {
        _used[slot] = false;
        _length[slot] = 0;
        if (HasMask)
        {
            _memory.Zero((byte*)MaskRow(slot), Capacity * sizeof(long));
        }
        Count--;
    }

    /// <summary>Makes room for <paramref name="needed"/> positions per slot. Grows by at least a sixteenth, in steps
    /// of 16: an Optimum graph attends over the whole capacity, so overshoot costs every step (on average half the
    /// increment, ~3%), while each growth copies the pool once (amortised over the next capacity/16 steps, under
    /// 1% of a step's own KV reads).</summary>
    public void EnsureCapacity(int needed)
    {
        if (needed > Capacity)
        {
            Relayout(Slots, Math.Max(needed, Math.Min(RoundUp(Math.Max(needed, Capacity + Capacity / 16)), MaxCapacity)));
        }
    }

    /// <summary>Moves the highest used slots into lower free ones; returns (from, to) moves for the owners to follow.
    /// Shrinks the capacity when the longest session uses under half of it.</summary>
    public List<(int From, int To)> Compact()
    {
        var moves = new List<(int, int)>();
        for (int low = 0, high = Slots - 1; ; low++, high--)
        {
            while (low < Slots && _used[low])
            {
                low++;
            }
            while (high >= 0 && !_used[high])
            {
                high--;
            }
            if (low >= high)
            {
                break;
            }
            Move(high, low);
            moves.Add((high, low));
        }
        var longest = Count == 0 ? 0 : _length.Take(Count).Max();
        if (Capacity > 64 && longest < Capacity / 2)
        {
            Relayout(Slots, RoundUp(Math.Max(longest + longest / 8, 32)));
        }
        return moves;
    }

    /// <summary>Records that <paramref name="count"/> positions were written after the slot's current length (and sets
    /// their mask entries unless the caller already has: <paramref name="maskWritten"/>).</summary>
    public void Commit(int slot, int count, bool maskWritten = false)
    {
        if (HasMask && !maskWritten)
        {
            _memory.FillOnes(MaskRow(slot) + _length[slot], count);
        }
        _length[slot] += count;
    }

    public void Dispose()
    {
        for (var i = 0; i < _buffers; i++)
        {
            _memory.Free(_kv[i]);
            _kv[i] = null;
        }
        _memory.Free((byte*)_mask);
        _mask = null;
    }

    private void Move(int from, int to)
    {
        var len = _length[from];
        var pitch = Capacity * TokenBytes;
        for (var b = 0; b < _buffers; b++)
        {
            _memory.Copy2D(_kv[b] + Offset(to, 0, 0), pitch, _kv[b] + Offset(from, 0, 0), pitch, len * TokenBytes, KvHeads);
        }
        if (HasMask)
        {
            _memory.FillOnes(MaskRow(to), len);
        }
        RelayoutBytes += len * TokenBytes * KvHeads * _buffers + len * sizeof(long);
        _used[to] = true;
        _length[to] = len;
        Free(from);
        Count++;
    }

    private void Relayout(int slots, int capacity)
    {
        var oldKv = _kv;
        var oldMask = _mask;
        int oldSlots = Slots, oldCapacity = Capacity;
        Allocate(slots, capacity);
        for (var s = 0; s < Math.Min(oldSlots, slots); s++)
        {
            var len = _length[s];
            if (len == 0)
            {
                continue;
            }
            for (var b = 0; b < _buffers; b++)
            {
                _memory.Copy2D(_kv[b] + Offset(s, 0, 0), Capacity * TokenBytes,
                    oldKv[b] + (long)s * KvHeads * oldCapacity * TokenBytes, oldCapacity * TokenBytes, len * TokenBytes, KvHeads);
            }
            RelayoutBytes += len * TokenBytes * KvHeads * _buffers;
        }
        _memory.Synchronize();
        WriteMask();
        for (var b = 0; b < _buffers; b++)
        {
            _memory.Free(oldKv[b]);
        }
        _memory.Free((byte*)oldMask);
    }

    private void Allocate(int slots, int capacity)
    {
        var kvBytes = Math.Max(64, (long)slots * KvHeads * capacity * TokenBytes);
        var kv = new byte*[_buffers];
        for (var b = 0; b < _buffers; b++)
        {
            // Zeroed: masked positions still enter the attention product, and uninitialised NaNs would survive the mask.
            kv[b] = _memory.Allocate(kvBytes);
        }
        _kv = kv;
        _mask = HasMask ? (long*)_memory.Allocate(Math.Max(1, (long)slots * (capacity + 1)) * sizeof(long)) : null;
        Generation++;
        Array.Resize(ref _length, slots);
        Array.Resize(ref _used, slots);
        Slots = slots;
        Capacity = capacity;
    }

    // The whole mask from the lengths (on reallocation only): each row length ones, zeros, and the new token's one.
    private void WriteMask()
    {
        if (!HasMask)
        {
            return;
        }
        var image = new long[Math.Max(1, (long)Slots * (Capacity + 1))];
        for (var s = 0; s < Slots; s++)
        {
            var row = image.AsSpan(s * (Capacity + 1), Capacity + 1);
            row[.._length[s]].Fill(1);
            row[Capacity] = 1;
        }
        _memory.Upload((byte*)_mask, MemoryMarshal.AsBytes(image.AsSpan()));
    }

    private static int RoundUp(int n) => (n + 15) / 16 * 16;
}

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EvalCluster.Inference.Models;

/// <summary>
/// Runs batched forward passes of a decoder-with-past graph (Optimum signature, present = concat(past, new))
/// against a resident <see cref="KvPool"/> through IOBinding. Requests split three ways so that nobody pads
/// anybody else:
/// decode (one new token, past &gt; 0): ONE run over the slot range of the participants, past = the pool
/// itself (a view, no copy), mask = the pool's resident mask, preallocated outputs reused while the range and
/// capacity stay; fresh prefills (past 0): one run with an empty past, new tokens right-aligned; multi-token
/// continuations (catch-up, chunked prefill): one run per session over its own slot. After each run only the
/// new positions' K/V are copied from present into the pool (<see cref="HostBytes"/> counts what moves).
/// Every buffer the graph reads or writes per step (pool, masks, present, logits) lives in the model's device
/// memory (<see cref="KvMemory"/>); on a GPU only ids, positions, mask entries and the logits rows a caller needs
/// cross to or from the host, and decode steps write their new K/V into the pool with one in-place scatter run on
/// the device (<see cref="KvScatter"/>) instead of a copy per row.
/// </summary>
internal sealed unsafe partial class BatchRunner : IDisposable
{
    // Held in a field: a RunOptions created inline is unreachable during the native Run and its finalizer
    // can release the native handle mid-run (a segfault under GC pressure).
    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession _session;
    private readonly ModelSignature _signature;
    private readonly KvPool? _pool;
    private readonly KvMemory _memory;
    private readonly KvScatter? _scatter;
    private readonly TensorElementType _logitsType;
    private readonly int _logitsSize;
    private byte[] _stage = [];
    private byte* _scratch;
    private long _scratchBytes;
    private bool _disposed;
    private readonly List<LmSession?> _bySlot = [];
    private readonly OrtIoBinding? _binding;
    private readonly TensorElementType _kvType;
    private readonly string[] _pastNames;
    private readonly string[] _presentNames;
    private readonly OrtValue _useCache = OrtValue.CreateTensorValueFromMemory(new[] { true }, [1]);
    private readonly OrtValue _noCache = OrtValue.CreateTensorValueFromMemory(new[] { false }, [1]);
    // Decode bindings by slot range, kept while the pool layout lasts: the same ranges recur (a binding costs a view
    // per KV buffer: ~0.13 ms at 4 layers, ~1 ms at 36). Cleared at MaxCachedBindings.
    private readonly Dictionary<(int First, int Rows, int Capacity, long Generation), DecodeBuffers> _decodes = [];
    private const int MaxCachedBindings = 64;
    private DecodeStorage? _storage;

    /// <param name="scatterOnHost">Write decode steps' new K/V with the device path's scatter run on the CPU too (tests).</param>
    /// <param name="maxContext">The model's context: the pool never grows past it (+1).</param>
    public BatchRunner(InferenceSession session, ModelSignature signature, KvMemory memory, int maxContext, bool scatterOnHost = false)
    {
        _session = session;
        _memory = memory;
        _signature = signature;
        _kvType = signature.KvType == KvElementType.Float16 ? TensorElementType.Float16 : TensorElementType.Float;
        (_logitsType, _logitsSize) = signature.LogitsType == KvElementType.Float16 ? (TensorElementType.Float16, 2) : (TensorElementType.Float, 4);
        var layers = signature.HasKvCache ? signature.Layers : 0;
        _pastNames = [.. Enumerable.Range(0, 2 * layers).Select(b => GenAiConfig.Name(b % 2 == 0 ? signature.PastKeyNames : signature.PastValueNames, b / 2))];
        _presentNames = [.. Enumerable.Range(0, 2 * layers).Select(b => GenAiConfig.Name(b % 2 == 0 ? signature.PresentKeyNames : signature.PresentValueNames, b / 2))];
        if (signature.HasKvCache)
        {
            _pool = new KvPool(signature.Layers, signature.KvHeads, signature.HeadDim, signature.KvType == KvElementType.Float16 ? 2 : 4, memory,
                maxContext < int.MaxValue ? maxContext + 1 : int.MaxValue, decodeMask: !signature.SharedBuffer);
            _binding = session.CreateIoBinding();
            if (!memory.IsHost || scatterOnHost)
            {
                _scatter = new KvScatter(signature, signature.SharedBuffer ? 0 : _pastNames.Length, memory);
            }
        }
    }

    /// <summary>Host bytes written or read by forward passes: input ids, positions, mask updates, new K/V copied
    /// into the pool, logits read. Proportional to the new tokens, never to the context.</summary>
    public long HostBytes { get; private set; }

    /// <summary>Bytes copied to grow, shrink or compact the KV pool (on open/close/growth, not per step).</summary>
    public long RelayoutBytes => _pool?.RelayoutBytes ?? 0;

    /// <summary>KV bytes the pool holds allocated.</summary>
    public long AllocatedKvBytes => _pool?.AllocatedBytes ?? 0;

    /// <summary>The pool's layout counter (<see cref="KvPool.Generation"/>); 0 before it exists.</summary>
    public long PoolGeneration => _pool?.Generation ?? 0;

    public void Open(LmSession session)
    {
        if (_pool is null)
        {
            return;
        }
        session.Slot = _pool.Take();
        while (_bySlot.Count < _pool.Slots)
        {
            _bySlot.Add(null);
        }
        _bySlot[session.Slot] = session;
    }

    public void Close(LmSession session)
    {
        if (_pool is not null && session.Slot >= 0)
        {
            _pool.Free(session.Slot);
            _bySlot[session.Slot] = null;
            session.Slot = -1;
        }
    }

    /// <summary>Frees the pool, buffers and scratch once (a second call does nothing: owners may both dispose).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        DropStorage();
        _binding?.Dispose();
        _scatter?.Dispose();
        _pool?.Dispose();
        _memory.Free(_scratch);
        _scratch = null;
        _memory.Dispose();
        _useCache.Dispose();
        _noCache.Dispose();
        _runOptions.Dispose();
    }

    public IReadOnlyList<ForwardResult> RunCached(List<(LmSession Session, ForwardRequest Request)> batch)
    {
        var pool = _pool!;
        foreach (var (from, to) in pool.Compact())
        {
            _bySlot[to] = _bySlot[from];
            _bySlot[from] = null;
            _bySlot[to]!.Slot = to;
        }
        pool.EnsureCapacity(batch.Max(x => x.Session.Tokens.Count + x.Request.Tokens.Length));
        var results = new ForwardResult[batch.Count];
        var decode = new List<int>();
        var fresh = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (session, request) = batch[i];
            if (session.Tokens.Count == 0)
            {
                fresh.Add(i);
            }
            else if (request.Tokens.Length == 1)
            {
                decode.Add(i);
            }
            else
            {
                RunPrefill(batch, [i], withPast: true, results);
            }
        }
        if (fresh.Count > 0)
        {
            RunPrefill(batch, fresh, withPast: false, results);
        }
        if (decode.Count > 0)
        {
            RunDecode(batch, decode, results);
        }
        return results;
    }

    private void RunDecode(List<(LmSession Session, ForwardRequest Request)> batch, List<int> rows, ForwardResult[] results)
    {
        var pool = _pool!;
        int first = rows.Min(i => batch[i].Session.Slot), last = rows.Max(i => batch[i].Session.Slot);
        var key = (first, last - first + 1, pool.Capacity, pool.Generation);
        var d = Binding(_decodes, key, storage => new DecodeBuffers(this, key, storage));
        for (var r = 0; r < d.Rows; r++)
        {
            d.Ids[r] = 0;
            d.Positions[r] = _bySlot[first + r]?.Tokens.Count ?? 0;
        }
        foreach (var i in rows)
        {
            d.Ids[batch[i].Session.Slot - first] = batch[i].Request.Tokens.Span[0];
        }
        HostBytes += 2L * d.Rows * sizeof(long);
        _memory.Synchronize();
        _session.RunWithBinding(_runOptions, d.Binding);
        var logits = HostLogits(d.LogitsData, (long)d.Rows * _signature.VocabSize);
        var cap = pool.Capacity;
        if (_scatter is not null)
        {
            var targets = rows.Select(i => (Row: batch[i].Session.Slot - first, Slot: batch[i].Session.Slot, At: batch[i].Session.Tokens.Count)).ToList();
            HostBytes += _scatter.Write(d.Present, pool, first, d.Rows, targets,
                pool.MaskRow(first), d.Rows, cap + 1, [.. targets.Select(t => (t.Row, t.At, 1L))]);
        }
        ReadDecodeRows(logits, batch, rows, first, results);
        foreach (var i in rows)
        {
            var (session, request) = batch[i];
            var row = session.Slot - first;
            if (_scatter is null)
            {
                CopyBack(d.PresentData, row, cap + 1, cap, 1, session);
            }
            else
            {
                pool.Commit(session.Slot, 1, maskWritten: true);
            }
            session.Tokens.Add(request.Tokens.Span[0]);
        }
    }

    // The decode logits [rows, 1, vocab] on the host: the bound buffer itself on the CPU, one download on a device.
    private byte* HostLogits(byte* logits, long count)
    {
        if (_memory.IsHost)
        {
            return logits;
        }
        _memory.Download(Stage(count * _logitsSize), logits);
        return (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _stage[0]);
    }

    // A pinned host buffer of at least `bytes`, reused (logits rows downloaded from the device land here).
    private Span<byte> Stage(long bytes)
    {
        if (_stage.Length < bytes)
        {
            _stage = GC.AllocateUninitializedArray<byte>((int)Math.Max(bytes, 2L * _stage.Length), pinned: true);
        }
        return _stage.AsSpan(0, (int)bytes);
    }

    private void RunPrefill(List<(LmSession Session, ForwardRequest Request)> batch, List<int> rows, bool withPast, ForwardResult[] results)
    {
        var pool = _pool!;
        var r = rows.Count;
        var past = withPast ? pool.Capacity : 0;
        var maxNew = rows.Max(i => batch[i].Request.Tokens.Length);
        var total = past + maxNew;
        var values = new List<OrtValue>();
        try
        {
            var ids = new long[r * maxNew];
            var positions = new long[r * maxNew];
            var mask = new long[r * total];
            for (var k = 0; k < r; k++)
            {
                var (session, request) = batch[rows[k]];
                var n = request.Tokens.Length;
                var tokens = request.Tokens.Span;
                for (var j = 0; j < n; j++)
                {
                    ids[k * maxNew + maxNew - n + j] = tokens[j];
                    positions[k * maxNew + maxNew - n + j] = session.Tokens.Count + j;
                }
                if (withPast)
                {
                    mask.AsSpan(k * total, pool.Length(session.Slot)).Fill(1);
                }
                mask.AsSpan(k * total + total - n, n).Fill(1);
            }
            HostBytes += (ids.Length + positions.Length + mask.Length) * sizeof(long);
            _binding!.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            Bind(values, "input_ids", OrtValue.CreateTensorValueFromMemory(ids, [r, maxNew]));
            Bind(values, "attention_mask", OrtValue.CreateTensorValueFromMemory(mask, [r, total]));
            if (_signature.HasPositionIds)
            {
                Bind(values, "position_ids", OrtValue.CreateTensorValueFromMemory(positions, [r, maxNew]));
            }
            if (_signature.HasUseCacheBranch)
            {
                _binding.BindInput("use_cache_branch", withPast ? _useCache : _noCache);
            }
            var slot = withPast ? batch[rows[0]].Session.Slot : 0;
            for (var b = 0; b < _pastNames.Length; b++)
            {
                Bind(values, _pastNames[b], withPast
                    ? PastView(b, slot, 1)
                    : OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, _kvType, [r, pool.KvHeads, 0, _signature.HeadDim]));
            }
            var presentBytes = (long)r * pool.KvHeads * total * pool.TokenBytes;
            var (logits, present) = BindOutputs(values, r, maxNew, presentBytes, [r, pool.KvHeads, total, _signature.HeadDim]);
            _memory.Synchronize();
            _session.RunWithBinding(_runOptions, _binding);
            for (var k = 0; k < r; k++)
            {
                var (session, request) = batch[rows[k]];
                var n = request.Tokens.Length;
                results[rows[k]] = ReadLogits((byte*)logits, !_memory.IsHost, k, maxNew, n, request.AllPositions);
                CopyBack(present, k, total, total - n, n, session);
                session.Tokens.AddRange(request.Tokens.Span);
            }
        }
        finally
        {
            _binding!.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            values.ForEach(v => v.Dispose());
        }
    }

    // Binds logits [rows, seq, vocab] (and, when presentShape is given, every present.*) to views over one reusable
    // scratch block of the model's memory: raw pointers, no per-run allocation, no 2 GB span limit on large prefills.
    private (nint Logits, nint[] Present) BindOutputs(List<OrtValue> owned, int rows, int seq, long presentBytes, long[]? presentShape)
    {
        var logitsBytes = (long)rows * seq * _signature.VocabSize * _logitsSize;
        static long Align(long n) => (n + 255) / 256 * 256;
        var buffers = presentShape is null ? 0 : _presentNames.Length;
        var block = Scratch(Align(logitsBytes) + buffers * Align(presentBytes));
        var logits = LogitsView(block, rows, seq);
        owned.Add(logits);
        _binding!.BindOutput("logits", logits);
        var present = new nint[buffers];
        for (var b = 0; b < buffers; b++)
        {
            present[b] = (nint)(block + Align(logitsBytes) + b * Align(presentBytes));
            var view = OrtValue.CreateTensorValueWithData(_memory.Info, _kvType, presentShape!, present[b], presentBytes);
            owned.Add(view);
            _binding.BindOutput(_presentNames[b], view);
        }
        return ((nint)block, present);
    }

    // A block of at least `bytes` of the model's memory, kept and reused (grown by a quarter when too small).
    private byte* Scratch(long bytes)
    {
        if (bytes > _scratchBytes)
        {
            _memory.Free(_scratch);
            _scratch = null;
            _scratchBytes = Math.Max(bytes, _scratchBytes + _scratchBytes / 4);
            _scratch = _memory.Allocate(_scratchBytes, zeroed: false);
        }
        return _scratch;
    }

    // Logits [rows, seq, vocab] over `data` in the model's memory.
    private OrtValue LogitsView(byte* data, int rows, int seq) =>
        OrtValue.CreateTensorValueWithData(_memory.Info, _logitsType, [rows, seq, _signature.VocabSize], (nint)data, (long)rows * seq * _signature.VocabSize * _logitsSize);

    // Copies positions [start, start + count) of row `row` of each present tensor [rows][heads][total][head_dim]
    // into the session's slot after its last token, then commits them.
    private void CopyBack(nint[] present, int row, int total, int start, int count, LmSession session)
    {
        var pool = _pool!;
        var bytes = count * pool.TokenBytes;
        var at = session.Tokens.Count;
        for (var b = 0; b < present.Length; b++)
        {
            var src = (byte*)present[b] + ((long)row * pool.KvHeads * total + start) * pool.TokenBytes;
            _memory.Copy2D(pool.Buffer(b) + pool.Offset(session.Slot, 0, at), pool.Capacity * pool.TokenBytes, src, total * pool.TokenBytes, bytes, pool.KvHeads);
        }
        pool.Commit(session.Slot, count);
        HostBytes += bytes * pool.KvHeads * present.Length + count * sizeof(long);
    }

    // ORT-allocated CPU tensors (the no-KV path's outputs) live in native memory that never moves.
    private static byte* Data(OrtValue value) =>
        (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(value.GetTensorMutableRawData()));

    private OrtValue PastView(int buffer, int firstSlot, int rows)
    {
        var pool = _pool!;
        var shape = new long[] { rows, pool.KvHeads, pool.Capacity, _signature.HeadDim };
        var bytes = rows * pool.KvHeads * pool.Capacity * pool.TokenBytes;
        return OrtValue.CreateTensorValueWithData(_memory.Info, _kvType, shape,
            (nint)(pool.Buffer(buffer) + pool.Offset(firstSlot, 0, 0)), bytes);
    }

    private void Bind(List<OrtValue> owned, string name, OrtValue value)
    {
        owned.Add(value);
        _binding!.BindInput(name, value);
    }

    public IReadOnlyList<ForwardResult> RunFull(List<(LmSession Session, ForwardRequest Request)> batch)
    {
        var results = new List<ForwardResult>(batch.Count);
        foreach (var (session, request) in batch)
        {
            var all = session.Tokens.Concat(request.Tokens.ToArray()).Select(t => (long)t).ToArray();
            var inputs = new Dictionary<string, OrtValue>
            {
                ["input_ids"] = OrtValue.CreateTensorValueFromMemory(all, [1, all.Length]),
            };
            try
            {
                if (_signature.HasAttentionMask)
                {
                    inputs["attention_mask"] = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, all.Length).ToArray(), [1, all.Length]);
                }
                if (_signature.HasPositionIds)
                {
                    inputs["position_ids"] = OrtValue.CreateTensorValueFromMemory(Enumerable.Range(0, all.Length).Select(i => (long)i).ToArray(), [1, all.Length]);
                }
                using var outputs = _session.Run(_runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), ["logits"]);
                results.Add(ReadLogits(Data(outputs[0]), onDevice: false, 0, all.Length, request.Tokens.Length, request.AllPositions));
                session.Tokens.AddRange(request.Tokens.ToArray());
            }
            finally
            {
                foreach (var v in inputs.Values)
                {
                    v.Dispose();
                }
            }
        }
        return results;
    }

    // Logits [batch, seq, vocab] at `logits` (host, or device memory when `onDevice`: then only the needed
    // positions are downloaded); the row's last `count` positions are the fed tokens (right-aligned).
    private ForwardResult ReadLogits(byte* logits, bool onDevice, int row, int seq, int count, bool allPositions)
    {
        var vocab = _signature.VocabSize;
        var (half, size) = (_logitsSize == 2, _logitsSize);
        var first = allPositions ? seq - count : seq - 1;
        var data = logits + ((long)row * seq + first) * vocab * size;
        if (onDevice)
        {
            var span = Stage((long)(seq - first) * vocab * size);
            _memory.Download(span, data);
            data = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref span[0]);
        }
        var rows = new List<float[]>(seq - first);
        for (var pos = 0; pos < seq - first; pos++)
        {
            rows.Add(LogProbs(data + (long)pos * vocab * size, vocab, half));
        }
        HostBytes += (long)(seq - first) * vocab * size;
        return new ForwardResult(rows[^1], allPositions ? rows : null);
    }

    // The decode rows' log-probabilities from host logits [rows, 1, vocab]: one row per participant, in parallel over
    // the thread pool when the step is large (a 152k vocabulary costs ~0.2 ms per row on one core: 50 ms at batch 256
    // sequentially, more than a GPU's decode step).
    private void ReadDecodeRows(byte* logits, List<(LmSession Session, ForwardRequest Request)> batch, List<int> rows, int first, ForwardResult[] results)
    {
        var vocab = _signature.VocabSize;
        var (half, size) = (_logitsSize == 2, _logitsSize);
        void One(int k)
        {
            var (session, request) = batch[rows[k]];
            var values = LogProbs(logits + (long)(session.Slot - first) * vocab * size, vocab, half);
            results[rows[k]] = new ForwardResult(values, request.AllPositions ? [values] : null);
        }
        if ((long)rows.Count * vocab >= ParallelLogProbElements && rows.Count > 1)
        {
            Parallel.For(0, rows.Count, One);
        }
        else
        {
            for (var k = 0; k < rows.Count; k++)
            {
                One(k);
            }
        }
        HostBytes += (long)rows.Count * vocab * size;
    }

    /// <summary>Decode steps with at least this many logits (rows x vocabulary) compute log-probabilities in parallel.</summary>
    internal const long ParallelLogProbElements = 1 << 20;

    // One row's log-softmax into a pooled float32 row (LogProbRows; float16 logits converted vectorised first: F16C;
    // a scalar Half-to-float loop costs ~70 ns per element).
    private static float[] LogProbs(byte* row, int vocab, bool half)
    {
        var values = LogProbRows.Rent(vocab);
        if (half)
        {
            System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(row, vocab), values);
            LogSoftmax.InPlace(values);
        }
        else
        {
            LogSoftmax.Into(new ReadOnlySpan<float>(row, vocab), values);
        }
        return values;
    }

    /// <summary>The decode outputs' memory (<see cref="DecodeStorage"/>) for <paramref name="rows"/> rows of the pool as
    /// it is now: kept while the pool keeps its buffers and the rows fit; replaced (with every binding over it) when
    /// the pool reallocates, or grown by half when a wider range decodes.</summary>
    private DecodeStorage Storage(int rows)
    {
        var pool = _pool!;
        if (_storage is { } current && current.Generation == pool.Generation && current.Rows >= rows)
        {
            return current;
        }
        var grown = _storage is { } s && s.Generation == pool.Generation ? s.Rows + s.Rows / 2 : 0;
        var target = Math.Min(pool.Slots, (Math.Max(rows, grown) + 7) / 8 * 8);
        DropStorage();
        _storage = new DecodeStorage(this, Math.Max(rows, target));
        return _storage;
    }

    /// <summary>Frees the decode outputs' memory and the bindings over it (a later step allocates afresh: a GenAI
    /// decode mask then starts from zero and is rewritten from the sessions' lengths).</summary>
    private void DropStorage()
    {
        DisposeBindings();
        var old = _storage;
        _storage = null;
        old?.Dispose();
    }

    /// <summary>The decode binding for a slot range: the one kept for it, or a new one over the current storage
    /// (<see cref="Storage"/>); counts the step.</summary>
    private T Binding<T>(Dictionary<(int First, int Rows, int Capacity, long Generation), T> cache, (int First, int Rows, int Capacity, long Generation) key,
        Func<DecodeStorage, T> create) where T : IDisposable
    {
        var storage = Storage(key.Rows);
        CountStep(key);
        if (!cache.TryGetValue(key, out var binding))
        {
            if (cache.Count >= MaxCachedBindings)
            {
                DisposeBindings();
            }
            binding = cache[key] = create(storage);
        }
        return binding;
    }

    private void DisposeBindings()
    {
        foreach (var d in _decodes.Values)
        {
            d.Dispose();
        }
        _decodes.Clear();
        foreach (var d in _shareds.Values)
        {
            d.Dispose();
        }
        _shareds.Clear();
    }

    private (int, int, int, long) _lastKey;

    private void CountStep((int, int, int, long) key)
    {
        DecodeSteps++;
        DecodeRangeChanges += key == _lastKey ? 0 : 1;
        _lastKey = key;
    }

    /// <summary>Batched decode steps run.</summary>
    internal int DecodeSteps { get; private set; }

    /// <summary>Decode steps whose slot range (or pool layout) differed from the step before.</summary>
    internal int DecodeRangeChanges { get; private set; }

    /// <summary>Decode steps created their buffers (and their IOBinding) this many times: once per slot range and
    /// pool layout (kept for reuse, up to MaxCachedBindings); their memory only once per pool layout.</summary>
    internal int DecodeBindings { get; private set; }

    /// <summary>Decode-output memory was allocated this many times (per pool layout: once, plus a few growths).</summary>
    internal int DecodeAllocations { get; private set; }

    /// <summary>
    /// The memory decode steps write, for the widest slot range decoded so far in this pool layout (grown by half
    /// when exceeded, never past the pool's slots), so every narrower range is a view into it: logits [rows, 1,
    /// vocab]; for an Optimum graph the present buffers [rows, heads, capacity + 1, head_dim] (a second copy of that
    /// much KV: sized by the rows that decode together, not by the pool's slots, which double when they grow); for a
    /// GenAI graph the resident decode mask [slots, capacity] with each slot's count of leading ones. Which sessions
    /// decode together changes on most steps of a real run (the set waiting on the other model, joining, finishing):
    /// sizing these per slot range reallocated them, and rebuilt a GenAI mask from zero, on 403 of 499 decode steps
    /// of the shipped run.
    /// </summary>
    private sealed class DecodeStorage : IDisposable
    {
        private readonly KvMemory _memory;
        private readonly List<nint> _allocated = [];

        public DecodeStorage(BatchRunner runner, int rows)
        {
            runner.DecodeAllocations++;
            var pool = runner._pool!;
            var s = runner._signature;
            _memory = runner._memory;
            Generation = pool.Generation;
            Rows = rows;
            Capacity = pool.Capacity;
            var shared = s.SharedBuffer;
            try
            {
                // Not zeroed: the graph writes every element before anything reads it.
                LogitsData = Allocate((long)rows * s.VocabSize * runner._logitsSize, zeroed: false);
                var presentBytes = (long)rows * pool.KvHeads * (Capacity + 1) * pool.TokenBytes;
                PresentData = shared ? [] : [.. runner._presentNames.Select(_ => (nint)Allocate(presentBytes, zeroed: false))];
                if (shared)
                {
                    Mask = (long*)Allocate((long)pool.Slots * Capacity * sizeof(long), zeroed: true);
                    Ones = new int[pool.Slots];
                }
            }
            catch
            {
                // Out of device memory part-way: free what was taken, leave nothing half-built behind.
                Dispose();
                throw;
            }
        }

        public long Generation { get; }

        /// <summary>Rows the logits (and present buffers) hold: the widest decode range this storage serves.</summary>
        public int Rows { get; }

        public int Capacity { get; }

        public byte* LogitsData { get; }

        /// <summary>The present buffers (none for a GenAI graph, which writes into the pool).</summary>
        public nint[] PresentData { get; } = [];

        /// <summary>GenAI: the decode mask, one row of <see cref="Capacity"/> int64 per pool slot; null otherwise.</summary>
        public long* Mask { get; }

        /// <summary>GenAI: the leading ones each slot's mask row holds now.</summary>
        public int[] Ones { get; } = [];

        public void Dispose()
        {
            foreach (var p in _allocated)
            {
                _memory.Free((byte*)p);
            }
            _allocated.Clear();
        }

        private byte* Allocate(long bytes, bool zeroed)
        {
            var p = _memory.Allocate(bytes, zeroed);
            _allocated.Add((nint)p);
            return p;
        }
    }

    /// <summary>Bound inputs and outputs of decode steps over one slot range at one pool layout: views into the pool
    /// and into <see cref="DecodeStorage"/>, reused step after step (only the ids and positions arrays are rewritten)
    /// and cheap to replace when the range changes (no allocation but the two small arrays).</summary>
    private sealed class DecodeBuffers : IDisposable
    {
        private readonly List<OrtValue> _owned = [];
        private readonly BatchRunner _runner;

        public DecodeBuffers(BatchRunner runner, (int First, int Rows, int Capacity, long Generation) key, DecodeStorage storage)
        {
            runner.DecodeBindings++;
            _runner = runner;
            Key = key;
            Rows = key.Rows;
            Ids = new long[Rows];
            Positions = new long[Rows];
            var s = runner._signature;
            var pool = runner._pool!;
            Binding = runner._session.CreateIoBinding();
            LogitsData = storage.LogitsData;
            Logits = Own(runner.LogitsView(LogitsData, Rows, 1));
            var presentBytes = (long)Rows * pool.KvHeads * (key.Capacity + 1) * pool.TokenBytes;
            PresentData = storage.PresentData;
            Present = [.. PresentData.Select(p => Own(OrtValue.CreateTensorValueWithData(runner._memory.Info, runner._kvType,
                [Rows, pool.KvHeads, key.Capacity + 1, s.HeadDim], p, presentBytes)))];
            Bind();
        }

        public nint[] PresentData { get; }

        public byte* LogitsData { get; }

        public (int First, int Rows, int Capacity, long Generation) Key { get; }

        public int Rows { get; }

        public long[] Ids { get; }

        public long[] Positions { get; }

        public OrtIoBinding Binding { get; }

        public OrtValue Logits { get; }

        public OrtValue[] Present { get; }

        public void Dispose()
        {
            Binding.Dispose();
            _owned.ForEach(v => v.Dispose());
        }

        private void Bind()
        {
            var r = _runner;
            var pool = r._pool!;
            var first = Key.First;
            Binding.BindInput("input_ids", Own(OrtValue.CreateTensorValueFromMemory(Ids, [Rows, 1])));
            Binding.BindInput("attention_mask", Own(OrtValue.CreateTensorValueWithData(r._memory.Info, TensorElementType.Int64,
                [Rows, Key.Capacity + 1], (nint)pool.MaskRow(first), (long)Rows * (Key.Capacity + 1) * sizeof(long))));
            if (r._signature.HasPositionIds)
            {
                Binding.BindInput("position_ids", Own(OrtValue.CreateTensorValueFromMemory(Positions, [Rows, 1])));
            }
            if (r._signature.HasUseCacheBranch)
            {
                Binding.BindInput("use_cache_branch", r._useCache);
            }
            for (var b = 0; b < r._pastNames.Length; b++)
            {
                Binding.BindInput(r._pastNames[b], Own(r.PastView(b, first, Rows)));
            }
            Binding.BindOutput("logits", Logits);
            for (var b = 0; b < r._presentNames.Length; b++)
            {
                Binding.BindOutput(r._presentNames[b], Present[b]);
            }
        }

        private OrtValue Own(OrtValue value)
        {
            _owned.Add(value);
            return value;
        }
    }
}

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EvalCluster.Inference.Models;

/// <summary>
/// The GenAI model-builder path (GroupQueryAttention, <c>past_present_share_buffer</c>): for every run the pool's
/// slot range is bound as BOTH past_key_values.* and present.* (one OrtValue per buffer), so the kernel appends the
/// new positions' K/V in place at row length (it detects the shared buffer by equal data pointers) and nothing is
/// copied back. The graph derives seqlens_k = sum(mask) - 1 and total_sequence_length = mask width from
/// attention_mask, so each row's mask holds length + new ones; decode steps bind one resident mask
/// [rows, capacity] (the kernel attends over seqlens_k + 1 per row, the width only has to fit the buffer) and
/// update only the ones that changed, so host bytes per step do not grow with the context. Decode steps (one token, past &gt; 0) run together
/// over the slot range; other rows of the range get mask length + 1, so the kernel's write lands on their first
/// free position, which their next step overwrites. Prefills and continuations run per session over its slot.
/// </summary>
internal sealed unsafe partial class BatchRunner
{
    private readonly Dictionary<(int First, int Rows, int Capacity, long Generation), SharedDecode> _shareds = [];

    /// <param name="needed">Positions the pool must hold: longest open session + 1 (every row of a decode range writes one).</param>
    public IReadOnlyList<ForwardResult> RunShared(List<(LmSession Session, ForwardRequest Request)> batch, int needed)
    {
        var pool = _pool!;
        foreach (var (from, to) in pool.Compact())
        {
            _bySlot[to] = _bySlot[from];
            _bySlot[from] = null;
            _bySlot[to]!.Slot = to;
        }
        pool.EnsureCapacity(Math.Max(needed, batch.Max(x => x.Session.Tokens.Count + x.Request.Tokens.Length)));
        var results = new ForwardResult[batch.Count];
        var decode = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (session, request) = batch[i];
            if (session.Tokens.Count > 0 && request.Tokens.Length == 1)
            {
                decode.Add(i);
            }
            else
            {
                RunSharedSingle(session, request, out results[i]);
            }
        }
        if (decode.Count > 0)
        {
            RunSharedDecode(batch, decode, results);
        }
        return results;
    }

    private void RunSharedDecode(List<(LmSession Session, ForwardRequest Request)> batch, List<int> rows, ForwardResult[] results)
    {
        var pool = _pool!;
        int first = rows.Min(i => batch[i].Session.Slot), last = rows.Max(i => batch[i].Session.Slot);
        var key = (first, last - first + 1, pool.Capacity, pool.Generation);
        var d = Binding(_shareds, key, storage => new SharedDecode(this, key, storage));
        try
        {
            // On a device the changed mask entries go in one scatter run, not one upload per row.
            var pending = _scatter is null ? null : new List<(int Row, int Col, long Value)>();
            for (var r = 0; r < d.Rows; r++)
            {
                d.Ids[r] = 0;
                HostBytes += d.SetOnes(r, (_bySlot[first + r]?.Tokens.Count ?? 0) + 1, pending);
            }
            if (pending is { Count: > 0 })
            {
                HostBytes += _scatter!.Write(null, null, 0, 0, [], d.Mask, d.Rows, d.Width, pending);
            }
            foreach (var i in rows)
            {
                d.Ids[batch[i].Session.Slot - first] = batch[i].Request.Tokens.Span[0];
            }
            HostBytes += d.Rows * sizeof(long);
            _memory.Synchronize();
            _session.RunWithBinding(_runOptions, d.Binding);
        }
        catch
        {
            // The per-slot mask counts were updated before the writes or the run that failed: the mask may no longer
            // say what they say. Drop it; the next step starts from a zeroed mask and rewrites it from the lengths.
            DropStorage();
            throw;
        }
        var logits = HostLogits(d.LogitsData, (long)d.Rows * _signature.VocabSize);
        ReadDecodeRows(logits, batch, rows, first, results);
        foreach (var i in rows)
        {
            var (session, request) = batch[i];
            pool.Commit(session.Slot, 1);
            session.Tokens.Add(request.Tokens.Span[0]);
        }
    }

    // One session's prefill or multi-token continuation over its own slot (no padding: the kernel treats a row
    // whose new tokens fill the whole mask as a first prompt, positions 0..n-1).
    private void RunSharedSingle(LmSession session, ForwardRequest request, out ForwardResult result)
    {
        var pool = _pool!;
        var n = request.Tokens.Length;
        var total = session.Tokens.Count + n;
        var ids = new long[n];
        for (var j = 0; j < n; j++)
        {
            ids[j] = request.Tokens.Span[j];
        }
        var mask = new long[total];
        mask.AsSpan().Fill(1);
        HostBytes += (ids.Length + mask.Length) * sizeof(long);
        var values = new List<OrtValue>();
        try
        {
            _binding!.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            Bind(values, "input_ids", OrtValue.CreateTensorValueFromMemory(ids, [1, n]));
            Bind(values, "attention_mask", OrtValue.CreateTensorValueFromMemory(mask, [1, total]));
            var (logits, _) = BindOutputs(values, 1, n, 0, presentShape: null);
            for (var b = 0; b < _pastNames.Length; b++)
            {
                var view = PastView(b, session.Slot, 1);
                Bind(values, _pastNames[b], view);
                _binding.BindOutput(_presentNames[b], view);
            }
            _memory.Synchronize();
            _session.RunWithBinding(_runOptions, _binding);
            result = ReadLogits((byte*)logits, !_memory.IsHost, 0, n, n, request.AllPositions);
            pool.Commit(session.Slot, n);
            session.Tokens.AddRange(request.Tokens.Span);
        }
        finally
        {
            _binding!.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            values.ForEach(v => v.Dispose());
        }
    }

    /// <summary>Bound ids, logits, mask and shared past/present views of decode steps over one slot range at one pool
    /// layout, reused step after step; only the ids and the changed attention-mask entries are rewritten. The mask
    /// and the logits are views into <see cref="DecodeStorage"/> (the model's device memory), the mask indexed by
    /// slot, so a new range starts from the entries its slots already hold (nothing is rebuilt).</summary>
    private sealed class SharedDecode : IDisposable
    {
        private readonly List<OrtValue> _owned = [];
        private readonly KvMemory _memory;
        private readonly long* _mask;
        private readonly int[] _ones;
        private readonly int _first;
        private readonly int _width;

        public SharedDecode(BatchRunner runner, (int First, int Rows, int Capacity, long Generation) key, DecodeStorage storage)
        {
            runner.DecodeBindings++;
            Key = key;
            Rows = key.Rows;
            Ids = new long[Rows];
            _memory = runner._memory;
            Binding = runner._session.CreateIoBinding();
            LogitsData = storage.LogitsData;
            Logits = Own(runner.LogitsView(LogitsData, Rows, 1));
            Binding.BindInput("input_ids", Own(OrtValue.CreateTensorValueFromMemory(Ids, [Rows, 1])));
            _first = key.First;
            _width = storage.Capacity;
            _mask = storage.Mask + (long)key.First * _width;
            _ones = storage.Ones;
            Binding.BindInput("attention_mask", Own(OrtValue.CreateTensorValueWithData(_memory.Info, TensorElementType.Int64,
                [Rows, _width], (nint)_mask, (long)Rows * _width * sizeof(long))));
            for (var b = 0; b < runner._pastNames.Length; b++)
            {
                var view = Own(runner.PastView(b, key.First, Rows));
                Binding.BindInput(runner._pastNames[b], view);
                Binding.BindOutput(runner._presentNames[b], view);
            }
            Binding.BindOutput("logits", Logits);
        }

        public (int First, int Rows, int Capacity, long Generation) Key { get; }

        public int Rows { get; }

        public long[] Ids { get; }

        public OrtIoBinding Binding { get; }

        public OrtValue Logits { get; }

        public byte* LogitsData { get; }

        /// <summary>The range's first mask row (row r of the range is slot First + r).</summary>
        public long* Mask => _mask;

        public int Width => _width;

        /// <summary>Makes row <paramref name="row"/>'s mask hold <paramref name="ones"/> leading ones: writes the changed
        /// entries, or adds them to <paramref name="pending"/> for one scatter run; returns the bytes written here.</summary>
        public long SetOnes(int row, int ones, List<(int Row, int Col, long Value)>? pending)
        {
            var had = _ones[_first + row];
            _ones[_first + row] = ones;
            if (pending is not null)
            {
                for (var c = Math.Min(had, ones); c < Math.Max(had, ones); c++)
                {
                    pending.Add((row, c, ones > had ? 1 : 0));
                }
                return 0;
            }
            var at = _mask + (long)row * _width;
            if (ones > had)
            {
                _memory.FillOnes(at + had, ones - had);
            }
            else if (ones < had)
            {
                _memory.Zero((byte*)(at + ones), (long)(had - ones) * sizeof(long));
            }
            return Math.Abs(ones - had) * (long)sizeof(long);
        }

        public void Dispose()
        {
            Binding.Dispose();
            _owned.ForEach(v => v.Dispose());
        }

        private OrtValue Own(OrtValue value)
        {
            _owned.Add(value);
            return value;
        }
    }
}

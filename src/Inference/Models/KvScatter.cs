using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace EvalCluster.Inference.Models;

/// <summary>
/// A decode step's writes into device-resident buffers, done in ONE run of a small ONNX graph on the model's own
/// device instead of one device copy per row: the new K/V of an Optimum graph (position <c>capacity</c> of each present
/// row) into the sessions' pool slots, per KV buffer <c>pool' = ScatterND(pool, dst, GatherND(present, src))</c>, and
/// the attention-mask entries the step changes, <c>mask' = ScatterND(mask, at, values)</c>. The pool and the mask are
/// bound as both input and output, so the kernels update them in place (ONNX Runtime's ScatterND skips its input copy
/// when the pointers are equal, on the CPU and on CUDA). Only index tensors cross from the host. Used where the pool is
/// on a device, and by tests on the CPU to run that path here. A GenAI graph appends its own K/V (buffers = 0): only
/// its mask is written.
/// </summary>
internal sealed unsafe class KvScatter : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly int _buffers;
    private readonly int _kvHeads;
    private readonly long _headDim;
    private readonly TensorElementType _type;
    private readonly KvMemory _memory;

    public KvScatter(ModelSignature signature, int buffers, KvMemory memory)
    {
        _buffers = buffers;
        _memory = memory;
        _kvHeads = signature.KvHeads;
        _headDim = signature.HeadDim;
        _type = signature.KvType == KvElementType.Float16 ? TensorElementType.Float16 : TensorElementType.Float;
        _session = SessionFactory.CreateHelper(Graph(buffers, _type == TensorElementType.Float16 ? 10 : 1), memory.Device);
    }

    /// <summary>
    /// Writes present[row, h, capacity, :] of each KV target to pool[slot, h, at, :] for every head and buffer (none when
    /// the graph was built without buffers), and each mask update's value at mask[row, col] of the int64 mask
    /// [maskRows, maskWidth] at <paramref name="mask"/>. Returns the host bytes sent (index and value tensors).
    /// </summary>
    public long Write(OrtValue[]? present, KvPool? pool, int firstSlot, int rows, IReadOnlyList<(int Row, int Slot, int At)> kvTargets,
        long* mask, int maskRows, int maskWidth, IReadOnlyList<(int Row, int Col, long Value)> maskUpdates)
    {
        var n = _buffers == 0 ? 0 : kvTargets.Count * _kvHeads;
        var src = new long[n * 3];
        var dst = new long[n * 3];
        var k = 0;
        foreach (var (row, slot, at) in _buffers == 0 ? [] : kvTargets)
        {
            for (var h = 0; h < _kvHeads; h++, k += 3)
            {
                (src[k], src[k + 1], src[k + 2]) = (row, h, pool!.Capacity);
                (dst[k], dst[k + 1], dst[k + 2]) = (slot - firstSlot, h, at);
            }
        }
        var m = maskUpdates.Count;
        var at2 = new long[m * 2];
        var values = new long[m];
        for (var i = 0; i < m; i++)
        {
            (at2[2 * i], at2[2 * i + 1], values[i]) = (maskUpdates[i].Row, maskUpdates[i].Col, maskUpdates[i].Value);
        }
        using var binding = _session.CreateIoBinding();
        var owned = new List<OrtValue>();
        try
        {
            OrtValue Own(OrtValue v)
            {
                owned.Add(v);
                return v;
            }
            var maskView = Own(OrtValue.CreateTensorValueWithData(_memory.Info, TensorElementType.Int64, [maskRows, maskWidth],
                (nint)mask, (long)maskRows * maskWidth * sizeof(long)));
            binding.BindInput("mask", maskView);
            binding.BindInput("mask_at", Own(OrtValue.CreateTensorValueFromMemory(at2, [m, 2])));
            binding.BindInput("mask_values", Own(OrtValue.CreateTensorValueFromMemory(values, [m])));
            binding.BindOutput("mask_out", maskView);
            if (_buffers > 0)
            {
                binding.BindInput("src", Own(OrtValue.CreateTensorValueFromMemory(src, [n, 3])));
                binding.BindInput("dst", Own(OrtValue.CreateTensorValueFromMemory(dst, [n, 3])));
                var shape = new long[] { rows, _kvHeads, pool!.Capacity, _headDim };
                var bytes = rows * _kvHeads * pool.Capacity * pool.TokenBytes;
                for (var b = 0; b < _buffers; b++)
                {
                    var view = Own(OrtValue.CreateTensorValueWithData(_memory.Info, _type, shape, (nint)(pool.Buffer(b) + pool.Offset(firstSlot, 0, 0)), bytes));
                    binding.BindInput($"pool{b}", view);
                    binding.BindInput($"present{b}", present![b]);
                    binding.BindOutput($"out{b}", view);
                }
            }
            _memory.Synchronize(); // like every run: the runtime's own copies and memsets land first
            _session.RunWithBinding(_run, binding);
        }
        finally
        {
            owned.ForEach(v => v.Dispose());
        }
        return (2L * n * 3 + 3L * m) * sizeof(long);
    }

    public void Dispose()
    {
        _run.Dispose();
        _session.Dispose();
    }

    private static byte[] Graph(int buffers, int elementType)
    {
        var graph = new GraphProto { Name = "kv_scatter" };
        graph.Input.Add(Value("mask", 7, "mask_rows", "mask_width"));
        graph.Input.Add(Value("mask_at", 7, "m", "2"));
        graph.Input.Add(Value("mask_values", 7, "m"));
        graph.Output.Add(Value("mask_out", 7, "mask_rows", "mask_width"));
        graph.Node.Add(Node("ScatterND", ["mask", "mask_at", "mask_values"], "mask_out"));
        if (buffers > 0)
        {
            graph.Input.Add(Value("src", 7, "n", "3"));
            graph.Input.Add(Value("dst", 7, "n", "3"));
        }
        for (var b = 0; b < buffers; b++)
        {
            graph.Input.Add(Value($"pool{b}", elementType, "rows", "heads", "capacity", "head_dim"));
            graph.Input.Add(Value($"present{b}", elementType, "rows", "heads", "capacity_1", "head_dim"));
            graph.Output.Add(Value($"out{b}", elementType, "rows", "heads", "capacity", "head_dim"));
            graph.Node.Add(Node("GatherND", [$"present{b}", "src"], $"new{b}"));
            graph.Node.Add(Node("ScatterND", [$"pool{b}", "dst", $"new{b}"], $"out{b}"));
        }
        var model = new ModelProto { IrVersion = 8, ProducerName = "EvalCluster.KvScatter", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static ValueInfoProto Value(string name, int elementType, params string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(long.TryParse(d, out var v) ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = d });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } } };
    }
}

using Onnx;
using static EvalCluster.TestModels.GraphBuilder;

namespace EvalCluster.TestModels;

/// <summary>
/// Builds a Qwen3-style decoder-with-past ONNX graph: RMSNorm (also per head on q and k), rotary positions,
/// grouped-query attention (KV heads expanded by Unsqueeze/Expand/Reshape), SwiGLU MLP, tied embeddings.
/// Float16 models keep float16 weights and float16 past/present/logits and compute in float32 inside.
/// </summary>
internal sealed class DecoderGraph
{
    private readonly TestModelSpec _spec;
    private readonly GraphBuilder _g = new();
    private readonly Random _rng;
    private readonly int _kvType;

    public DecoderGraph(TestModelSpec spec)
    {
        _spec = spec;
        _rng = new Random(spec.Seed);
        _kvType = spec.Float16 ? Float16Type : FloatType;
    }

    public ModelProto Build()
    {
        var s = _spec;
        _g.Input("input_ids", Int64Type, "batch", "seq");
        _g.Input("attention_mask", Int64Type, "batch", "total");
        if (s.PositionIdsInput)
        {
            _g.Input("position_ids", Int64Type, "batch", "seq");
        }
        for (var l = 0; l < s.Layers; l++)
        {
            _g.Input($"past_key_values.{l}.key", _kvType, "batch", $"{s.KvHeads}", "past", $"{s.HeadDim}");
            _g.Input($"past_key_values.{l}.value", _kvType, "batch", $"{s.KvHeads}", "past", $"{s.HeadDim}");
        }
        // std 0.25 keeps logits around N(0, 2): peaked enough to avoid argmax ties, flat enough to sample from.
        var embed = Weight("embed", [s.VocabSize, s.Hidden], 0.25f);
        var x = _g.Node("Gather", [embed, "input_ids"]);
        if (s.GenAi)
        {
            var gqa = GqaInputs();
            for (var l = 0; l < s.Layers; l++)
            {
                x = GqaLayer(l, x, gqa);
            }
        }
        else
        {
            var (bias, cos, sin) = MaskAndRotary();
            for (var l = 0; l < s.Layers; l++)
            {
                x = Layer(l, x, bias, cos, sin);
            }
        }
        x = RmsNorm(x, Norm("final_norm", s.Hidden));
        var logits = _g.Node("MatMul", [x, _g.Node("Transpose", [embed], Ints("perm", 1, 0))]);
        Emit(logits, "logits", "batch", "seq", $"{s.VocabSize}");
        var model = new ModelProto { IrVersion = 8, ProducerName = "EvalCluster.TestModels", Graph = _g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        if (s.GenAi)
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        }
        return model;
    }

    // What the model builder derives from attention_mask: seqlens_k = int32(sum(mask) - 1) per row,
    // total_sequence_length = int32(mask width); plus the rotary caches [max_positions, head_dim / 2].
    private (string SeqLens, string Total, string Cos, string Sin) GqaInputs()
    {
        var s = _spec;
        var sum = _g.Node("ReduceSum", ["attention_mask", _g.Int64s([1])], Int("keepdims", 0));
        var seqLens = _g.Node("Cast", [_g.Node("Sub", [sum, _g.Int64s([1], [])])], Int("to", Int32Type));
        var width = _g.Node("Gather", [_g.Node("Shape", ["attention_mask"]), _g.Int64s([1], [])], Int("axis", 0));
        var total = _g.Node("Cast", [width], Int("to", Int32Type));
        var half = s.HeadDim / 2;
        var cos = new float[s.MaxPositions * half];
        var sin = new float[s.MaxPositions * half];
        for (var p = 0; p < s.MaxPositions; p++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = p * (1.0 / Math.Pow(s.RopeTheta, 2.0 * i / s.HeadDim));
                cos[p * half + i] = (float)Math.Cos(angle);
                sin[p * half + i] = (float)Math.Sin(angle);
            }
        }
        return (seqLens, total, _g.Floats("cos_cache", cos, [s.MaxPositions, half], s.Float16),
            _g.Floats("sin_cache", sin, [s.MaxPositions, half], s.Float16));
    }

    // The same layer as Layer() (same weights drawn in the same order), attention by GroupQueryAttention:
    // q/k per-head RMSNorm, then the op applies rotary (do_rotary=1, rotate-half) and appends to the KV buffers.
    private string GqaLayer(int l, string x, (string SeqLens, string Total, string Cos, string Sin) gqa)
    {
        var s = _spec;
        var h = RmsNorm(x, Norm($"l{l}.in_norm", s.Hidden));
        var q = NormedFlat(_g.Node("MatMul", [h, Weight($"l{l}.wq", [s.Hidden, s.Heads * s.HeadDim])]), s.Heads, $"l{l}.q_norm");
        var k = NormedFlat(_g.Node("MatMul", [h, Weight($"l{l}.wk", [s.Hidden, s.KvHeads * s.HeadDim])]), s.KvHeads, $"l{l}.k_norm");
        var v = _g.Node("MatMul", [h, Weight($"l{l}.wv", [s.Hidden, s.KvHeads * s.HeadDim])]);
        string[] inputs = [ToKv(q), ToKv(k), ToKv(v), $"past_key_values.{l}.key", $"past_key_values.{l}.value", gqa.SeqLens, gqa.Total, gqa.Cos, gqa.Sin];
        var outs = _g.Nodes("GroupQueryAttention", inputs, 3, Int("num_heads", s.Heads), Int("kv_num_heads", s.KvHeads),
            Int("do_rotary", 1), Int("rotary_interleaved", 0), FloatAttr("scale", 1f / MathF.Sqrt(s.HeadDim)));
        var node = _g.Graph.Node[^1];
        node.Domain = "com.microsoft";
        node.Output[1] = $"present.{l}.key";
        node.Output[2] = $"present.{l}.value";
        _g.Output($"present.{l}.key", _kvType, "batch", $"{s.KvHeads}", "total", $"{s.HeadDim}");
        _g.Output($"present.{l}.value", _kvType, "batch", $"{s.KvHeads}", "total", $"{s.HeadDim}");
        var context = s.Float16 ? _g.Node("Cast", [outs[0]], Int("to", FloatType)) : outs[0];
        return OutputAndMlp(l, x, context);
    }

    // The rest of a layer after attention, shared by both formats (weights drawn in the same order): the output
    // projection added to the residual, then the post-norm SwiGLU MLP added to it.
    private string OutputAndMlp(int l, string x, string context)
    {
        var s = _spec;
        x = _g.Node("Add", [x, _g.Node("MatMul", [context, Weight($"l{l}.wo", [s.Heads * s.HeadDim, s.Hidden])])]);
        var m = RmsNorm(x, Norm($"l{l}.post_norm", s.Hidden));
        var gate = _g.Node("MatMul", [m, Weight($"l{l}.wg", [s.Hidden, s.FfnDim])]);
        var up = _g.Node("MatMul", [m, Weight($"l{l}.wu", [s.Hidden, s.FfnDim])]);
        var act = _g.Node("Mul", [_g.Node("Mul", [gate, _g.Node("Sigmoid", [gate])]), up]);
        return _g.Node("Add", [x, _g.Node("MatMul", [act, Weight($"l{l}.wd", [s.FfnDim, s.Hidden])])]);
    }

    // [B,S,n*hd] -> per-head RMSNorm -> [B,S,n*hd] (GroupQueryAttention takes BSH inputs).
    private string NormedFlat(string projected, int n, string normName)
    {
        var hd = _spec.HeadDim;
        var x = _g.Node("Reshape", [projected, _g.Int64s([0, 0, n, hd])]);
        return _g.Node("Reshape", [RmsNorm(x, Norm(normName, hd)), _g.Int64s([0, 0, n * hd])]);
    }

    private string ToKv(string value) => _spec.Float16 ? _g.Node("Cast", [value], Int("to", Float16Type)) : value;

    private (string Bias, string Cos, string Sin) MaskAndRotary()
    {
        var s = _spec;
        var seqLen = _g.Node("Gather", [_g.Node("Shape", ["input_ids"]), _g.Int64s([1], [])], Int("axis", 0));
        var total = _g.Node("Gather", [_g.Node("Shape", ["attention_mask"]), _g.Int64s([1], [])], Int("axis", 0));
        var past = _g.Node("Sub", [total, seqLen]);
        var keyIndex = _g.Node("Range", [_g.Int64s([0], []), total, _g.Int64s([1], [])]);
        var queryIndex = _g.Node("Range", [past, total, _g.Int64s([1], [])]);
        var causal = _g.Node("LessOrEqual", [_g.Node("Unsqueeze", [keyIndex, _g.Int64s([0])]), _g.Node("Unsqueeze", [queryIndex, _g.Int64s([1])])]);
        var padding = _g.Node("Unsqueeze", [_g.Node("Cast", ["attention_mask"], Int("to", BoolType)), _g.Int64s([1, 2])]);
        // A large finite negative (never -inf) so fully masked padding rows stay finite.
        var bias = _g.Node("Where", [_g.Node("And", [causal, padding]), _g.Scalar(0f), _g.Scalar(-1e9f)]);

        string positions;
        if (s.PositionIdsInput)
        {
            positions = "position_ids";
        }
        else
        {
            var cumsum = _g.Node("CumSum", ["attention_mask", _g.Int64s([1], [])]);
            var fromMask = _g.Node("Sub", [cumsum, _g.Int64s([1], [])]);
            positions = _g.Node("Slice", [fromMask, _g.Node("Unsqueeze", [past, _g.Int64s([0])]), _g.Int64s([long.MaxValue]), _g.Int64s([1])]);
        }
        var half = s.HeadDim / 2;
        var invFreq = Enumerable.Range(0, half).Select(i => (float)(1.0 / Math.Pow(s.RopeTheta, 2.0 * i / s.HeadDim))).ToArray();
        var freqs = _g.Node("Mul", [_g.Node("Unsqueeze", [_g.Node("Cast", [positions], Int("to", FloatType)), _g.Int64s([2])]),
            _g.Floats("inv_freq", invFreq, [half], false)]);
        var emb = _g.Node("Concat", [freqs, freqs], Int("axis", -1));
        var cos = _g.Node("Unsqueeze", [_g.Node("Cos", [emb]), _g.Int64s([1])]);
        var sin = _g.Node("Unsqueeze", [_g.Node("Sin", [emb]), _g.Int64s([1])]);
        return (bias, cos, sin);
    }

    private string Layer(int l, string x, string bias, string cos, string sin)
    {
        var s = _spec;
        var h = RmsNorm(x, Norm($"l{l}.in_norm", s.Hidden));
        var q = Heads(_g.Node("MatMul", [h, Weight($"l{l}.wq", [s.Hidden, s.Heads * s.HeadDim])]), s.Heads, $"l{l}.q_norm", cos, sin);
        var k = Heads(_g.Node("MatMul", [h, Weight($"l{l}.wk", [s.Hidden, s.KvHeads * s.HeadDim])]), s.KvHeads, $"l{l}.k_norm", cos, sin);
        var v = _g.Node("Transpose", [_g.Node("Reshape", [_g.Node("MatMul", [h, Weight($"l{l}.wv", [s.Hidden, s.KvHeads * s.HeadDim])]),
            _g.Int64s([0, 0, s.KvHeads, s.HeadDim])])], Ints("perm", 0, 2, 1, 3));
        var keys = Emit(_g.Node("Concat", [Past($"past_key_values.{l}.key"), k], Int("axis", 2)), $"present.{l}.key");
        var values = Emit(_g.Node("Concat", [Past($"past_key_values.{l}.value"), v], Int("axis", 2)), $"present.{l}.value");
        keys = ExpandKv(keys);
        values = ExpandKv(values);
        var scores = _g.Node("Mul", [_g.Node("MatMul", [q, _g.Node("Transpose", [keys], Ints("perm", 0, 1, 3, 2))]), _g.Scalar(1f / MathF.Sqrt(s.HeadDim))]);
        var probs = _g.Node("Softmax", [_g.Node("Add", [scores, bias])], Int("axis", -1));
        var context = _g.Node("Reshape", [_g.Node("Transpose", [_g.Node("MatMul", [probs, values])], Ints("perm", 0, 2, 1, 3)),
            _g.Int64s([0, 0, s.Heads * s.HeadDim])]);
        return OutputAndMlp(l, x, context);
    }

    // [B,S,n*hd] -> per-head RMSNorm -> [B,n,S,hd] -> rotary.
    private string Heads(string projected, int n, string normName, string cos, string sin)
    {
        var hd = _spec.HeadDim;
        var x = _g.Node("Reshape", [projected, _g.Int64s([0, 0, n, hd])]);
        x = _g.Node("Transpose", [RmsNorm(x, Norm(normName, hd))], Ints("perm", 0, 2, 1, 3));
        var first = _g.Node("Slice", [x, _g.Int64s([0]), _g.Int64s([hd / 2]), _g.Int64s([3])]);
        var second = _g.Node("Slice", [x, _g.Int64s([hd / 2]), _g.Int64s([hd]), _g.Int64s([3])]);
        var rotated = _g.Node("Concat", [_g.Node("Neg", [second]), first], Int("axis", -1));
        return _g.Node("Add", [_g.Node("Mul", [x, cos]), _g.Node("Mul", [rotated, sin])]);
    }

    private string ExpandKv(string kv)
    {
        var s = _spec;
        if (s.Heads == s.KvHeads)
        {
            return kv;
        }
        var expanded = _g.Node("Expand", [_g.Node("Unsqueeze", [kv, _g.Int64s([2])]), _g.Int64s([1, 1, s.Heads / s.KvHeads, 1, 1])]);
        return _g.Node("Reshape", [expanded, _g.Int64s([0, s.Heads, -1, s.HeadDim])]);
    }

    private string RmsNorm(string x, string weight)
    {
        var meanSquare = _g.Node("ReduceMean", [_g.Node("Mul", [x, x])], Ints("axes", -1), Int("keepdims", 1));
        var normed = _g.Node("Div", [x, _g.Node("Sqrt", [_g.Node("Add", [meanSquare, _g.Scalar(1e-6f)])])]);
        return _g.Node("Mul", [normed, weight]);
    }

    private string Past(string input) => _spec.Float16 ? _g.Node("Cast", [input], Int("to", FloatType)) : input;

    // Gives a float32 value its contract output name (casting to float16 for float16 models); returns the float32 value.
    private string Emit(string value, string name, params string[] dims)
    {
        var s = _spec;
        var shape = dims.Length > 0 ? dims : ["batch", $"{s.KvHeads}", "total", $"{s.HeadDim}"];
        if (_spec.Float16)
        {
            _g.Node("Cast", [value], Int("to", Float16Type));
        }
        else
        {
            _g.Node("Identity", [value]);
        }
        _g.NameLastOutput(name);
        _g.Output(name, _kvType, shape);
        return value;
    }

    private string Weight(string name, long[] dims, float? std = null)
    {
        var count = (int)dims.Aggregate(1L, (a, b) => a * b);
        var scale = (std ?? (float)(1.0 / Math.Sqrt(dims[0]))) * _spec.WeightScale;
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Normal() * scale;
        }
        var stored = _g.Floats(name, values, dims, _spec.Float16);
        return _spec.Float16 ? _g.Node("Cast", [stored], Int("to", FloatType)) : stored;
    }

    private string Norm(string name, int size)
    {
        var values = Enumerable.Range(0, size).Select(_ => 1f + 0.1f * Normal()).ToArray();
        var stored = _g.Floats(name, values, [size], _spec.Float16);
        return _spec.Float16 ? _g.Node("Cast", [stored], Int("to", FloatType)) : stored;
    }

    private float Normal()
    {
        var u1 = 1.0 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}

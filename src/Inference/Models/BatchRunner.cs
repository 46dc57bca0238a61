using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EvalCluster.Inference.Models;

/// <summary>
/// Builds the input tensors of one batched forward pass, runs it and scatters logits and new KV entries back
/// into the sessions. Layout per row i with past p_i and n_i new tokens, P = max past, N = max new:
/// mask = [0 x (P - p_i), 1 x p_i, 0 x (N - n_i), 1 x n_i]; positions of the new tokens are p_i .. p_i + n_i - 1.
/// </summary>
internal sealed class BatchRunner : IDisposable
{
    // Held in a field: a RunOptions created inline is unreachable during the native Run and its finalizer
    // can release the native handle mid-run (a segfault under GC pressure).
    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession _session;
    private readonly ModelSignature _signature;
    private readonly string[] _outputNames;

    public BatchRunner(InferenceSession session, ModelSignature signature)
    {
        _session = session;
        _signature = signature;
        var names = new List<string> { "logits" };
        for (var l = 0; l < signature.Layers && signature.HasKvCache; l++)
        {
            names.Add($"present.{l}.key");
            names.Add($"present.{l}.value");
        }
        _outputNames = [.. names];
    }

    public void Dispose() => _runOptions.Dispose();

    public IReadOnlyList<ForwardResult> RunCached(List<(LmSession Session, ForwardRequest Request)> batch) =>
        _signature.KvType == KvElementType.Float16 ? RunCached<Float16>(batch, TensorElementType.Float16) : RunCached<float>(batch, TensorElementType.Float);

    public IReadOnlyList<ForwardResult> RunFull(List<(LmSession Session, ForwardRequest Request)> batch)
    {
        var results = new List<ForwardResult>(batch.Count);
        foreach (var (session, request) in batch)
        {
            var all = session.Tokens.Concat(request.Tokens.ToArray()).ToArray();
            var inputs = new Dictionary<string, OrtValue>();
            try
            {
                inputs["input_ids"] = Int64Tensor([1, all.Length], s => { for (var i = 0; i < all.Length; i++) { s[i] = all[i]; } });
                if (_signature.HasAttentionMask)
                {
                    inputs["attention_mask"] = Int64Tensor([1, all.Length], s => s.Fill(1));
                }
                if (_signature.HasPositionIds)
                {
                    inputs["position_ids"] = Int64Tensor([1, all.Length], s => { for (var i = 0; i < all.Length; i++) { s[i] = i; } });
                }
                using var outputs = _session.Run(_runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), ["logits"]);
                results.Add(ReadLogits(outputs[0], 0, all.Length, request.Tokens.Length, request.AllPositions));
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

    private IReadOnlyList<ForwardResult> RunCached<T>(List<(LmSession Session, ForwardRequest Request)> batch, TensorElementType kvType)
        where T : unmanaged
    {
        var b = batch.Count;
        var past = batch.Select(x => x.Session.Tokens.Count).ToArray();
        var fresh = batch.Select(x => x.Request.Tokens.Length).ToArray();
        int maxPast = past.Max(), maxNew = fresh.Max(), total = maxPast + maxNew;
        var inputs = new Dictionary<string, OrtValue>();
        try
        {
            inputs["input_ids"] = Int64Tensor([b, maxNew], s =>
            {
                for (var i = 0; i < b; i++)
                {
                    var tokens = batch[i].Request.Tokens.Span;
                    for (var j = 0; j < tokens.Length; j++)
                    {
                        s[i * maxNew + maxNew - fresh[i] + j] = tokens[j];
                    }
                }
            });
            inputs["attention_mask"] = Int64Tensor([b, total], s =>
            {
                for (var i = 0; i < b; i++)
                {
                    s.Slice(i * total + maxPast - past[i], past[i]).Fill(1);
                    s.Slice(i * total + total - fresh[i], fresh[i]).Fill(1);
                }
            });
            if (_signature.HasPositionIds)
            {
                inputs["position_ids"] = Int64Tensor([b, maxNew], s =>
                {
                    for (var i = 0; i < b; i++)
                    {
                        for (var j = 0; j < fresh[i]; j++)
                        {
                            s[i * maxNew + maxNew - fresh[i] + j] = past[i] + j;
                        }
                    }
                });
            }
            if (_signature.HasUseCacheBranch)
            {
                inputs["use_cache_branch"] = OrtValue.CreateTensorValueFromMemory(new[] { maxPast > 0 }, [1]);
            }
            var shape = new long[] { b, _signature.KvHeads, maxPast, _signature.HeadDim };
            for (var slot = 0; slot < 2 * _signature.Layers; slot++)
            {
                var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, kvType, shape);
                var span = value.GetTensorMutableDataAsSpan<T>();
                span.Clear();
                for (var i = 0; i < b; i++)
                {
                    ((KvCache<T>)batch[i].Session.Kv!).CopyTo(slot, span, i, maxPast);
                }
                inputs[$"past_key_values.{slot / 2}.{(slot % 2 == 0 ? "key" : "value")}"] = value;
            }
            using var outputs = _session.Run(_runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), _outputNames);
            var results = new ForwardResult[b];
            for (var i = 0; i < b; i++)
            {
                results[i] = ReadLogits(outputs[0], i, maxNew, fresh[i], batch[i].Request.AllPositions);
                var kv = (KvCache<T>)batch[i].Session.Kv!;
                for (var slot = 0; slot < 2 * _signature.Layers; slot++)
                {
                    kv.Append(slot, outputs[1 + slot].GetTensorDataAsSpan<T>(), i, total, total - fresh[i], fresh[i]);
                }
                kv.Commit(fresh[i]);
                batch[i].Session.Tokens.AddRange(batch[i].Request.Tokens.ToArray());
            }
            return results;
        }
        finally
        {
            foreach (var v in inputs.Values)
            {
                v.Dispose();
            }
        }
    }

    // Logits [batch, seq, vocab]; the row's last `count` positions are the fed tokens (right-aligned).
    private ForwardResult ReadLogits(OrtValue logits, int row, int seq, int count, bool allPositions)
    {
        var vocab = _signature.VocabSize;
        var first = allPositions ? seq - count : seq - 1;
        var rows = new List<float[]>(seq - first);
        var buffer = new float[vocab];
        for (var pos = first; pos < seq; pos++)
        {
            var offset = ((long)row * seq + pos) * vocab;
            if (_signature.LogitsType == KvElementType.Float16)
            {
                var src = logits.GetTensorDataAsSpan<Float16>().Slice((int)offset, vocab);
                for (var v = 0; v < vocab; v++)
                {
                    buffer[v] = src[v].ToFloat();
                }
                rows.Add(LogSoftmax.Compute(buffer));
            }
            else
            {
                rows.Add(LogSoftmax.Compute(logits.GetTensorDataAsSpan<float>().Slice((int)offset, vocab)));
            }
        }
        return new ForwardResult(rows[^1], allPositions ? rows : null);
    }

    private static OrtValue Int64Tensor(long[] shape, SpanAction fill)
    {
        var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Int64, shape);
        var span = value.GetTensorMutableDataAsSpan<long>();
        span.Clear();
        fill(span);
        return value;
    }

    private delegate void SpanAction(Span<long> span);
}

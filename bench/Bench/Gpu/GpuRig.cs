using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EvalCluster.Bench.Gpu;

/// <summary>
/// One ONNX Runtime session of a float16 decoder-with-past test model on a device (CPU or CUDA), and timed runs of
/// it through IOBinding with the KV cache, the present outputs and the logits resident on that device (allocated
/// once per shape, bound once): only the token ids, mask and positions (a few bytes per row) cross from the host.
/// A GenAI model-builder folder (genai_config.json: GroupQueryAttention) binds past and present to the SAME buffer
/// of past + new positions (in place, no position_ids), as the format is meant to run.
/// </summary>
public sealed class GpuRig : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtMemoryInfo _deviceMemory;
    private readonly OrtAllocator _allocator;
    private readonly bool _cuda;
    private readonly bool _shared;
    private readonly int _layers, _kvHeads, _headDim, _vocab;

    public GpuRig(string modelDir, string device, int layers, int kvHeads, int headDim, int vocab)
    {
        (_layers, _kvHeads, _headDim, _vocab) = (layers, kvHeads, headDim, vocab);
        _shared = File.Exists(Path.Combine(modelDir, "genai_config.json"));
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _cuda = device.StartsWith("cuda", StringComparison.Ordinal);
        var index = _cuda && device.Contains(':', StringComparison.Ordinal) ? int.Parse(device[5..], System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (_cuda)
        {
            // Grow the device arena by what is asked, not to the next power of two: the runs allocate tens of GB.
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(new Dictionary<string, string>
            {
                ["device_id"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["arena_extend_strategy"] = "kSameAsRequested",
            });
            options.AppendExecutionProvider_CUDA(cuda);
        }
        _session = new InferenceSession(Path.Combine(modelDir, "model.onnx"), options);
        _deviceMemory = _cuda
            ? new OrtMemoryInfo("Cuda", OrtAllocatorType.DeviceAllocator, index, OrtMemType.Default)
            : OrtMemoryInfo.DefaultInstance;
        _allocator = _cuda ? new OrtAllocator(_session, _deviceMemory) : OrtAllocator.DefaultInstance;
    }

    /// <summary>Median seconds of one run over <paramref name="runs"/> timed runs after <paramref name="warmup"/>
    /// untimed ones: <paramref name="batch"/> rows of <paramref name="tokens"/> new tokens each after
    /// <paramref name="past"/> cached positions (decode: tokens 1; prefill: past 0).</summary>
    public double MedianSeconds(int batch, int tokens, int past, int warmup, int runs)
    {
        var owned = new List<OrtValue>();
        using var binding = _session.CreateIoBinding();
        using var run = new RunOptions();
        OrtValue Own(OrtValue v)
        {
            owned.Add(v);
            return v;
        }
        try
        {
            var ids = new long[batch * tokens];
            Array.Fill(ids, 65L);
            var mask = new long[batch * (past + tokens)];
            Array.Fill(mask, 1L);
            var positions = new long[batch * tokens];
            for (var i = 0; i < positions.Length; i++)
            {
                positions[i] = past + i % tokens;
            }
            binding.BindInput("input_ids", Own(OrtValue.CreateTensorValueFromMemory(ids, [batch, tokens])));
            binding.BindInput("attention_mask", Own(OrtValue.CreateTensorValueFromMemory(mask, [batch, past + tokens])));
            if (!_shared)
            {
                binding.BindInput("position_ids", Own(OrtValue.CreateTensorValueFromMemory(positions, [batch, tokens])));
            }
            for (var l = 0; l < _layers; l++)
            {
                foreach (var kind in new[] { "key", "value" })
                {
                    if (_shared)
                    {
                        var buffer = Own(Device([batch, _kvHeads, past + tokens, _headDim]));
                        binding.BindInput($"past_key_values.{l}.{kind}", buffer);
                        binding.BindOutput($"present.{l}.{kind}", buffer);
                        continue;
                    }
                    binding.BindInput($"past_key_values.{l}.{kind}", Own(Device([batch, _kvHeads, past, _headDim])));
                    binding.BindOutput($"present.{l}.{kind}", Own(Device([batch, _kvHeads, past + tokens, _headDim])));
                }
            }
            binding.BindOutput("logits", Own(Device([batch, tokens, _vocab])));
            for (var i = 0; i < warmup; i++)
            {
                _session.RunWithBinding(run, binding);
            }
            var times = new double[runs];
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                _session.RunWithBinding(run, binding);
                binding.SynchronizeBoundOutputs();
                times[i] = sw.Elapsed.TotalSeconds;
            }
            Array.Sort(times);
            return times[runs / 2];
        }
        finally
        {
            owned.ForEach(v => v.Dispose());
        }
    }

    public void Dispose()
    {
        if (_cuda)
        {
            _allocator.Dispose();
            _deviceMemory.Dispose();
        }
        _session.Dispose();
    }

    // A float16 tensor in the device's memory. On the CPU it is zeroed (garbage could hold NaN or subnormal
    // values, which slow CPU arithmetic); on CUDA its contents are left as allocated: a GPU's speed does not
    // depend on the values, and the mask makes every position attend.
    private OrtValue Device(long[] shape)
    {
        if (shape.Any(d => d == 0))
        {
            return OrtValue.CreateTensorValueFromMemory(Array.Empty<Float16>(), shape);
        }
        var value = OrtValue.CreateAllocatedTensorValue(_allocator, TensorElementType.Float16, shape);
        if (!_cuda)
        {
            value.GetTensorMutableRawData().Clear();
        }
        return value;
    }
}

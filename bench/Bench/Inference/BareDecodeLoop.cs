using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EvalCluster.Bench.Inference;

/// <summary>
/// The limit of one decode step of a decoder-with-past graph on this machine: a bare ONNX Runtime loop with
/// every input and output preallocated and bound once through IOBinding, no sessions, no scheduler, no copy back.
/// Only the graph's own work is left. Optimum graph: past = [batch, kv_heads, context, head_dim] buffers, present
/// = fresh [.., context + 1, ..] buffers, mask of ones. GenAI graph (GroupQueryAttention): past and present bound
/// to the SAME [batch, kv_heads, context + 1, head_dim] buffers (in place), mask [batch, context + 1] of ones, so
/// every run attends over exactly `context` cached positions and writes the new one at position `context`.
/// </summary>
public sealed class BareDecodeLoop : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];
    private readonly RunOptions _run = new();

    public BareDecodeLoop(string modelDir, int batch, int context, int layers, int kvHeads, int headDim, int vocab, bool positionIds, bool genai = false)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(Path.Combine(modelDir, "model.onnx"), options);
        _binding = _session.CreateIoBinding();
        _binding.BindInput("input_ids", Own(OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(65L, batch).ToArray(), [batch, 1])));
        _binding.BindInput("attention_mask", Own(OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, batch * (context + 1)).ToArray(), [batch, context + 1])));
        if (positionIds && !genai)
        {
            _binding.BindInput("position_ids", Own(OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((long)context, batch).ToArray(), [batch, 1])));
        }
        var rng = new Random(1);
        var pastLength = genai ? context + 1 : context;
        for (var l = 0; l < layers; l++)
        {
            foreach (var kind in new[] { "key", "value" })
            {
                var past = new float[batch * kvHeads * pastLength * headDim];
                for (var i = 0; i < past.Length; i++)
                {
                    past[i] = (float)(rng.NextDouble() - 0.5);
                }
                var pastValue = Own(OrtValue.CreateTensorValueFromMemory(past, [batch, kvHeads, pastLength, headDim]));
                _binding.BindInput($"past_key_values.{l}.{kind}", pastValue);
                _binding.BindOutput($"present.{l}.{kind}", genai
                    ? pastValue
                    : Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [batch, kvHeads, context + 1, headDim])));
            }
        }
        _binding.BindOutput("logits", Own(OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [batch, 1, vocab])));
    }

    /// <summary>Median milliseconds of one step over <paramref name="steps"/> runs after two warm-up runs (every run
    /// feeds the same inputs: the step's cost does not depend on the values).</summary>
    public double MedianStepMs(int steps)
    {
        _session.RunWithBinding(_run, _binding);
        _session.RunWithBinding(_run, _binding);
        var times = new List<double>();
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            _session.RunWithBinding(_run, _binding);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }

    public void Dispose()
    {
        _binding.Dispose();
        _values.ForEach(v => v.Dispose());
        _run.Dispose();
        _session.Dispose();
    }

    private OrtValue Own(OrtValue value)
    {
        _values.Add(value);
        return value;
    }
}

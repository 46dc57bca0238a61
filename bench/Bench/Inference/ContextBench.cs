using System.Diagnostics;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Bench.Inference;

/// <summary>
/// Decode step time of <see cref="OnnxCausalLm"/> at a growing context for one batch, beside the bare-loop limit
/// of the same graph (<see cref="BareDecodeLoop"/>), and the host bytes the engine moved per step.
/// Contexts from EVALCLUSTER_BENCH_CONTEXTS (comma-separated; default 128,1024,4096).
/// </summary>
public sealed class ContextBench : IBench
{
    private const int Batch = 8;
    private const int Chunk = 512;
    private const int Steps = 16;

    public string Name => "context";

    public string Description => $"decode step at context 128/1,024/4,096, batch {Batch}, float32 test model (4 layers, d_model 256, 8 q / 2 KV heads x 32, vocab 320); engine vs bare ONNX Runtime loop; median of {Steps} steps";

    public void Run()
    {
        var contexts = (Environment.GetEnvironmentVariable("EVALCLUSTER_BENCH_CONTEXTS") ?? "128,1024,4096")
            .Split(',').Select(int.Parse).ToArray();
        var spec = new TestModelSpec(Layers: 4, Hidden: 256, Heads: 8, KvHeads: 2, HeadDim: 32, FfnDim: 768, Seed: 21, MaxPositions: 32768);
        var dir = TestModelWriter.WriteTemp(spec, "ctx-bench");
        Console.WriteLine("| context | engine ms/step | bare loop ms/step | engine / bare | engine pool capacity | host bytes/step (engine) | KV bytes in use |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var context in contexts)
        {
            using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
            var engine = new EngineDecodeLoop(lm, Batch, context);
            using var bare = new BareDecodeLoop(dir, Batch, context, spec.Layers, spec.KvHeads, spec.HeadDim, spec.VocabSize, spec.PositionIdsInput);
            // Alternating rounds, best median of each: the machine is shared, so load drifts between measurements.
            double engineMs = double.MaxValue, bareMs = double.MaxValue;
            for (var round = 0; round < 3; round++)
            {
                engineMs = Math.Min(engineMs, engine.MedianStepMs(Steps));
                bareMs = Math.Min(bareMs, bare.MedianStepMs(Steps));
            }
            var capacity = lm.KvAllocatedBytes / lm.KvBytesPerToken / Batch;
            Console.WriteLine($"| {context:N0} | {engineMs:F2} | {bareMs:F2} | {engineMs / bareMs:F2} | {capacity:N0} | {engine.LastStepHostBytes:N0} | {engine.KvBytes:N0} |");
        }
    }
}

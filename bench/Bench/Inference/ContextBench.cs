using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Bench.Inference;

/// <summary>
/// Decode step time of <see cref="OnnxCausalLm"/> at a growing context for one batch, beside the bare-loop limit
/// of the same graph (<see cref="BareDecodeLoop"/>), in both graph formats, and the host bytes the engine moved per
/// step. Each round steps the engine 18 times from its current context, then times the bare loop at the middle of
/// those contexts (the engine's sessions grow as it steps); the row is the round with the median engine / bare ratio
/// of 3. Contexts from EVALCLUSTER_BENCH_CONTEXTS (comma-separated; default 128,1024,4096).
/// </summary>
public sealed class ContextBench : IBench
{
    private const int Batch = 8;
    private const int Steps = 16;
    private const int Rounds = 3;

    public string Name => "context";

    public string Description => $"decode step at context 128/1,024/4,096, batch {Batch}, float32 test model (4 layers, d_model 256, 8 q / 2 KV heads x 32, vocab 320) as Optimum and as GenAI (GroupQueryAttention) graph; engine vs bare ONNX Runtime loop at the same context; median of {Steps} steps, median ratio of {Rounds} rounds";

    public void Run()
    {
        var contexts = (Environment.GetEnvironmentVariable("EVALCLUSTER_BENCH_CONTEXTS") ?? "128,1024,4096")
            .Split(',').Select(int.Parse).ToArray();
        var spec = new TestModelSpec(Layers: 4, Hidden: 256, Heads: 8, KvHeads: 2, HeadDim: 32, FfnDim: 768, Seed: 21, MaxPositions: 32768);
        var formats = new[] { ("Optimum", TestModelWriter.WriteTemp(spec, "ctx-bench"), false), ("GenAI (GQA)", TestModelWriter.WriteTemp(spec with { GenAi = true }, "ctx-bench-genai"), true) };
        Console.WriteLine("| context | graph | engine ms/step | bare loop ms/step | engine / bare | engine pool capacity | host bytes/step (engine) | KV bytes in use |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var context in contexts)
        {
            foreach (var (label, dir, genai) in formats)
            {
                using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
                EngineDecodeLoop.WarmUp(lm);
                var engine = new EngineDecodeLoop(lm, Batch, context);
                var (e, b) = engine.CompareWithBare(middle =>
                {
                    using var bare = new BareDecodeLoop(dir, Batch, middle, spec.Layers, spec.KvHeads, spec.HeadDim, spec.VocabSize, spec.PositionIdsInput, genai);
                    return bare.MedianStepMs(Steps);
                }, Steps, Rounds);
                var capacity = lm.KvAllocatedBytes / lm.KvBytesPerToken / Batch;
                Console.WriteLine($"| {context:N0} | {label} | {e:F2} | {b:F2} | {e / b:F2} | {capacity:N0} | {engine.LastStepHostBytes:N0} | {engine.KvBytes:N0} |");
            }
        }
    }
}

using System.Diagnostics;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;

namespace EvalCluster.Bench.Inference;

/// <summary>
/// Decode step time of the same weights in the two supported graph formats through <see cref="OnnxCausalLm"/>:
/// Optimum (MatMul/Softmax attention, present = concat, new K/V copied into the pool) and the GenAI model builder's
/// (GroupQueryAttention, past and present bound to the pool's buffers). Contexts from EVALCLUSTER_BENCH_CONTEXTS
/// (comma-separated; default 128,1024).
/// </summary>
public sealed class FormatBench : IBench
{
    private const int Batch = 8;
    private const int Chunk = 512;
    private const int Steps = 16;

    public string Name => "formats";

    public string Description => $"decode step, batch {Batch}, float32 test model (4 layers, d_model 256, 8 q / 2 KV heads x 32, vocab 320), same weights as Optimum and as GenAI/GroupQueryAttention graphs; median of {Steps} steps, best of 3 alternating rounds";

    public void Run()
    {
        var contexts = (Environment.GetEnvironmentVariable("EVALCLUSTER_BENCH_CONTEXTS") ?? "128,1024")
            .Split(',').Select(int.Parse).ToArray();
        var spec = new TestModelSpec(Layers: 4, Hidden: 256, Heads: 8, KvHeads: 2, HeadDim: 32, FfnDim: 768, Seed: 21, MaxPositions: 8192);
        var optimumDir = TestModelWriter.WriteTemp(spec, "fmt-optimum");
        var genaiDir = TestModelWriter.WriteTemp(spec with { GenAi = true }, "fmt-genai");
        Console.WriteLine("| context | Optimum ms/step | GenAI (GQA) ms/step | GenAI / Optimum | host bytes/step Optimum | host bytes/step GenAI |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var context in contexts)
        {
            using var optimum = OnnxCausalLm.Load(optimumDir, ExecutionOptions.Cpu);
            using var genai = OnnxCausalLm.Load(genaiDir, ExecutionOptions.Cpu);
            EngineDecodeLoop.WarmUp(optimum);
            EngineDecodeLoop.WarmUp(genai);
            var a = new EngineDecodeLoop(optimum, Batch, context);
            var b = new EngineDecodeLoop(genai, Batch, context);
            double optimumMs = double.MaxValue, genaiMs = double.MaxValue;
            for (var round = 0; round < 3; round++)
            {
                optimumMs = Math.Min(optimumMs, a.MedianStepMs(Steps));
                genaiMs = Math.Min(genaiMs, b.MedianStepMs(Steps));
            }
            Console.WriteLine($"| {context:N0} | {optimumMs:F2} | {genaiMs:F2} | {genaiMs / optimumMs:F2} | {a.LastStepHostBytes:N0} | {b.LastStepHostBytes:N0} |");
        }
    }
}

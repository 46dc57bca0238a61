using System.Diagnostics;
using EvalCluster.Inference.Models;
using EvalCluster.TestModels;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Bench.Inference;

/// <summary>Prefill and decode throughput of OnnxCausalLm at batch 1, 8 and 32 on a 4-layer d_model 256 test model.</summary>
public sealed class EngineBench : IBench
{
    private const int PromptTokens = 128;
    private const int DecodeSteps = 64;

    public string Name => "engine";

    public string Description => $"OnnxCausalLm on CPU, 4 layers, d_model 256, 8 q / 2 KV heads x 32, prompt {PromptTokens}, {DecodeSteps} decode steps (after a warm-up pass, median of 3)";

    public void Run()
    {
        foreach (var fp16 in new[] { false, true })
        {
            var spec = new TestModelSpec(Layers: 4, Hidden: 256, Heads: 8, KvHeads: 2, HeadDim: 32, FfnDim: 768, Seed: 21, Float16: fp16);
            var dir = TestModelWriter.WriteTemp(spec, "bench");
            using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
            Console.WriteLine($"### {(fp16 ? "float16" : "float32")} weights/KV — KV bytes per token: {lm.KvBytesPerToken:N0}");
            Console.WriteLine();
            foreach (var warm in new[] { 1, 8, 32, 1 })
            {
                Measure(lm, warm); // warm-up: tiered JIT and ONNX Runtime's memory planning for each shape
            }
            Console.WriteLine("| batch | prefill tokens/s | decode tokens/s | decode ms/step | KV bytes after run |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            foreach (var batch in new[] { 1, 8, 32 })
            {
                var runs = Enumerable.Range(0, 3).Select(_ => Measure(lm, batch)).OrderBy(r => r.Decode).ToList();
                var (prefill, decode, kv) = runs[1];
                Console.WriteLine($"| {batch} | {prefill:N0} | {decode:N0} | {1000.0 * batch / decode:F2} | {kv:N0} |");
            }
            Console.WriteLine();
        }
    }

    private static (double Prefill, double Decode, long Kv) Measure(OnnxCausalLm lm, int batch)
    {
        var sessions = Enumerable.Range(0, batch).Select(_ => lm.OpenSession()).ToArray();
        var prompts = sessions.Select((s, i) => new ForwardRequest(s, Enumerable.Range(0, PromptTokens).Select(t => (t * 7 + i) % 256).ToArray())).ToList();
        var sw = Stopwatch.StartNew();
        var results = lm.Forward(prompts);
        var prefill = batch * PromptTokens / sw.Elapsed.TotalSeconds;
        sw.Restart();
        for (var step = 0; step < DecodeSteps; step++)
        {
            results = lm.Forward(sessions.Select((s, i) => new ForwardRequest(s, new[] { DivergenceKernels.ArgMax(results[i].Last) })).ToList());
        }
        var decode = batch * DecodeSteps / sw.Elapsed.TotalSeconds;
        var kv = sessions.Sum(lm.KvBytes);
        foreach (var s in sessions)
        {
            lm.CloseSession(s);
        }
        return (prefill, decode, kv);
    }
}

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
            var (engineMs, capacity, hostBytes, kv) = Engine(dir, context);
            double bareMs;
            using (var bare = new BareDecodeLoop(dir, Batch, context, spec.Layers, spec.KvHeads, spec.HeadDim, spec.VocabSize, spec.PositionIdsInput))
            {
                bareMs = bare.MedianStepMs(Steps);
            }
            Console.WriteLine($"| {context:N0} | {engineMs:F2} | {bareMs:F2} | {engineMs / bareMs:F2} | {capacity:N0} | {hostBytes:N0} | {kv:N0} |");
        }
    }

    private static (double Ms, long Capacity, long HostBytes, long Kv) Engine(string dir, int context)
    {
        using var lm = OnnxCausalLm.Load(dir, ExecutionOptions.Cpu);
        var sessions = Enumerable.Range(0, Batch).Select(_ => lm.OpenSession()).ToArray();
        var last = new float[Batch][];
        for (var i = 0; i < Batch; i++)
        {
            for (var done = 0; done < context; done += Chunk)
            {
                var tokens = Enumerable.Range(done, Math.Min(Chunk, context - done)).Select(t => (t * 7 + i) % 256).ToArray();
                last[i] = lm.Forward([new ForwardRequest(sessions[i], tokens)])[0].Last;
            }
        }
        var times = new List<double>();
        long hostBytes = 0;
        for (var step = 0; step < Steps + 2; step++)
        {
            var requests = sessions.Select((s, i) => new ForwardRequest(s, new[] { Array.IndexOf(last[i], last[i].Max()) })).ToList();
            var before = lm.HostBytes;
            var sw = Stopwatch.StartNew();
            var results = lm.Forward(requests);
            if (step >= 2)
            {
                times.Add(sw.Elapsed.TotalMilliseconds);
                hostBytes = lm.HostBytes - before;
            }
            last = [.. results.Select(r => r.Last)];
        }
        var capacity = lm.KvAllocatedBytes / lm.KvBytesPerToken / Batch;
        return (times.Order().ElementAt(times.Count / 2), capacity, hostBytes, sessions.Sum(lm.KvBytes));
    }
}

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
            var a = new Loop(optimum, context);
            var b = new Loop(genai, context);
            double optimumMs = double.MaxValue, genaiMs = double.MaxValue;
            for (var round = 0; round < 3; round++)
            {
                optimumMs = Math.Min(optimumMs, a.MedianStepMs(Steps));
                genaiMs = Math.Min(genaiMs, b.MedianStepMs(Steps));
            }
            Console.WriteLine($"| {context:N0} | {optimumMs:F2} | {genaiMs:F2} | {genaiMs / optimumMs:F2} | {a.LastStepHostBytes:N0} | {b.LastStepHostBytes:N0} |");
        }
    }

    private sealed class Loop
    {
        private readonly OnnxCausalLm _lm;
        private readonly int[] _sessions;
        private float[][] _last = new float[Batch][];

        public Loop(OnnxCausalLm lm, int context)
        {
            _lm = lm;
            _sessions = [.. Enumerable.Range(0, Batch).Select(_ => lm.OpenSession())];
            for (var i = 0; i < Batch; i++)
            {
                for (var done = 0; done < context; done += Chunk)
                {
                    var tokens = Enumerable.Range(done, Math.Min(Chunk, context - done)).Select(t => (t * 7 + i) % 256).ToArray();
                    _last[i] = lm.Forward([new ForwardRequest(_sessions[i], tokens)])[0].Last;
                }
            }
        }

        public long LastStepHostBytes { get; private set; }

        public double MedianStepMs(int steps)
        {
            var times = new List<double>();
            for (var step = 0; step < steps + 2; step++)
            {
                var requests = _sessions.Select((s, i) => new ForwardRequest(s, new[] { Array.IndexOf(_last[i], _last[i].Max()) })).ToList();
                var before = _lm.HostBytes;
                var sw = Stopwatch.StartNew();
                var results = _lm.Forward(requests);
                if (step >= 2)
                {
                    times.Add(sw.Elapsed.TotalMilliseconds);
                    LastStepHostBytes = _lm.HostBytes - before;
                }
                _last = [.. results.Select(r => r.Last)];
            }
            return times.Order().ElementAt(times.Count / 2);
        }
    }
}

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
            var engine = new EngineLoop(lm, context);
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

    /// <summary>Batch sessions prefilled to the context in chunks, then stepped greedily.</summary>
    private sealed class EngineLoop
    {
        private readonly OnnxCausalLm _lm;
        private readonly int[] _sessions;
        private float[][] _last = new float[Batch][];

        public EngineLoop(OnnxCausalLm lm, int context)
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

        public long KvBytes => _sessions.Sum(_lm.KvBytes);

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

using System.Diagnostics;
using EvalCluster.Inference.Decoding;
using EvalCluster.Inference.Divergence;
using EvalCluster.Inference.Gates;
using EvalCluster.Inference.Models;
using EvalCluster.Inference.Sampling;
using EvalCluster.TestModels;

namespace EvalCluster.Bench.Method;

/// <summary>
/// DualModelDecoder against two bare greedy ICausalLm loops doing the same forward passes (both models step
/// every token): the difference is the method's own cost (kernels, gate, sampling, bookkeeping). Also the lazy
/// guide's work on an entropy arm.
/// </summary>
public sealed class DecoderOverheadBench : IBench
{
    private const int Batch = 8;
    private const int Steps = 48;

    public string Name => "decoder";

    public string Description => $"DualModelDecoder vs two bare ICausalLm loops, batch {Batch}, {Steps} tokens, CPU, median of 5 after one warm-up";

    public void Run()
    {
        Console.WriteLine("| vocabulary | bare loops ms/token | decoder (eager, guided) ms/token | ratio | lazy entropy arm: guide passes / token | guide tokens / token |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var vocab in new[] { 320, 151_936 })
        {
            using var baseLm = OnnxCausalLm.Load(TestModelWriter.WriteTemp(new TestModelSpec(Layers: 2, VocabSize: vocab, Seed: 61), "bb"), ExecutionOptions.Cpu);
            using var guideLm = OnnxCausalLm.Load(TestModelWriter.WriteTemp(new TestModelSpec(Layers: 4, VocabSize: vocab, Seed: 62), "bg"), ExecutionOptions.Cpu);
            // Alternate the two so load from other processes hits both alike; the first pair warms up (JIT, allocator).
            var bareMs = new List<double>();
            var decoderMs = new List<double>();
            for (var run = 0; run < 6; run++)
            {
                bareMs.Add(Bare(baseLm, guideLm));
                decoderMs.Add(Decode(baseLm, guideLm, _ => new GuidedGate(double.PositiveInfinity, 1, 16), GuideMode.Eager).Ms);
            }
            var bare = bareMs.Skip(1).Order().ElementAt(2);
            var decoder = decoderMs.Skip(1).Order().ElementAt(2);
            var probe = Decode(baseLm, guideLm, _ => new BaseGate(), GuideMode.Eager).Result;
            var entropies = probe.Sequences.SelectMany(s => s.Trace.Select(t => t.BaseEntropy)).Order().ToArray();
            var lazy = Decode(baseLm, guideLm, _ => new EntropyGate(entropies[entropies.Length * 9 / 10]), GuideMode.Lazy).Result.Counters;
            Console.WriteLine($"| {vocab:N0} | {bare:F2} | {decoder:F2} | {decoder / bare:F2} | {lazy.GuideConsultationsPerToken:F3} | {lazy.GuideTokensPerToken:F3} |");
        }
    }

    private static int[] Prompt(int i) => Enumerable.Range(0, 24).Select(t => 32 + (t * 5 + i * 3) % 90).ToArray();

    private static double Bare(ICausalLm baseLm, ICausalLm guideLm)
    {
        var sw = Stopwatch.StartNew();
        var bs = Enumerable.Range(0, Batch).Select(_ => baseLm.OpenSession()).ToArray();
        var gs = Enumerable.Range(0, Batch).Select(_ => guideLm.OpenSession()).ToArray();
        var b = baseLm.Forward(bs.Select((s, i) => new ForwardRequest(s, Prompt(i))).ToList());
        var g = guideLm.Forward(gs.Select((s, i) => new ForwardRequest(s, Prompt(i))).ToList());
        for (var step = 1; step < Steps; step++)
        {
            var tokens = b.Select(r => Sampler.Sample(r.Last, SamplingOptions.Greedy, new SequenceRandom(0))).ToArray();
            b = baseLm.Forward(bs.Select((s, i) => new ForwardRequest(s, new[] { tokens[i] })).ToList());
            g = guideLm.Forward(gs.Select((s, i) => new ForwardRequest(s, new[] { tokens[i] })).ToList());
        }
        foreach (var s in bs)
        {
            baseLm.CloseSession(s);
        }
        foreach (var s in gs)
        {
            guideLm.CloseSession(s);
        }
        return sw.Elapsed.TotalMilliseconds / (Batch * Steps);
    }

    private static (double Ms, DecodeResult Result) Decode(ICausalLm baseLm, ICausalLm guideLm, Func<int, IGate> gate, GuideMode mode)
    {
        var sw = Stopwatch.StartNew();
        var requests = Enumerable.Range(0, Batch).Select(i => new DecodeRequest(
            new GuidedSequence(gate(i), DivergenceKind.CrossEntropy, SamplingOptions.Greedy, new SequenceRandom((ulong)i), Steps, new HashSet<int>()),
            Prompt(i), Prompt(i))).ToList();
        var result = new DualModelDecoder(baseLm, guideLm, mode).Decode(requests);
        return (sw.Elapsed.TotalMilliseconds / result.Counters.GeneratedTokens, result);
    }
}

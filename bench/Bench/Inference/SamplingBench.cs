using System.Diagnostics;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Bench.Inference;

/// <summary>Sampler.Sample at Qwen3's vocabulary (151,936) with top-k/top-p by partial selection, beside one full
/// sort of the vocabulary's (weight, id) pairs (what the previous implementation did every call).</summary>
public sealed class SamplingBench : IBench
{
    private const int Vocab = 151_936;

    public string Name => "sampling";

    public string Description => $"Sampler.Sample over {Vocab:N0} logits, µs per call, median of 200 after warm-up; peaked = N(0, 1) plus 40 tokens at 14 - 0.25 i (a language model's shape: the nucleus is tens of tokens), flat = N(0, 2) (the nucleus is most of the vocabulary)";

    public void Run()
    {
        Console.WriteLine("| logits | options | µs per call |");
        Console.WriteLine("|---|---|---:|");
        foreach (var peaked in new[] { true, false })
        {
            Table(peaked);
        }
    }

    private static void Table(bool peaked)
    {
        var rng = new Random(3);
        var logits = new float[Vocab];
        for (var i = 0; i < Vocab; i++)
        {
            logits[i] = (float)((peaked ? 1 : 2) * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        }
        for (var i = 0; peaked && i < 40; i++)
        {
            logits[rng.Next(Vocab)] = 14f - 0.25f * i;
        }
        var kind = peaked ? "peaked" : "flat";
        foreach (var (label, options) in new[]
        {
            ("greedy", SamplingOptions.Greedy),
            ("T 1, no filter", new SamplingOptions(1f)),
            ("T 0.7, top-k 50", new SamplingOptions(0.7f, TopK: 50)),
            ("T 0.7, top-p 0.95", new SamplingOptions(0.7f, 0.95f)),
            ("T 1, top-p 0.95", new SamplingOptions(1f, 0.95f)),
        })
        {
            var random = new SequenceRandom(1);
            Console.WriteLine($"| {kind} | {label} | {Median(() => Sampler.Sample(logits, options, random)):F0} |");
        }
        var pairs = new (double W, int Id)[Vocab];
        Console.WriteLine($"| {kind} | reference: one full sort of the vocabulary | {Median(() =>
        {
            for (var i = 0; i < Vocab; i++)
            {
                pairs[i] = (Math.Exp(logits[i]), i);
            }
            Array.Sort(pairs, (a, b) => a.W != b.W ? b.W.CompareTo(a.W) : a.Id.CompareTo(b.Id));
            return pairs[0].Id;
        }):F0} |");
    }

    private static double Median(Func<int> call)
    {
        for (var i = 0; i < 20; i++)
        {
            call();
        }
        var times = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var sw = Stopwatch.StartNew();
            call();
            times.Add(sw.Elapsed.TotalMicroseconds);
        }
        return times.Order().ElementAt(100);
    }
}

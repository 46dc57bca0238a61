using System.Diagnostics;
using EvalCluster.Inference.Divergence;

namespace EvalCluster.Bench.Method;

/// <summary>Divergence kernels on one pair of 151,936-entry log-probability vectors (Qwen3 vocabulary), one thread.</summary>
public sealed class KernelBench : IBench
{
    private const int Vocab = 151_936;

    public string Name => "kernels";

    public string Description => $"divergence kernels on {Vocab:N0}-entry float32 log-prob vectors, one core, microseconds per call (median of 7 x 200 calls)";

    public void Run()
    {
        var b = RandomLogProbs(1);
        var r = RandomLogProbs(2);
        double sink = 0;
        var rows = new (string Name, Func<double> Body)[]
        {
            ("entropy H_b", () => DivergenceKernels.Entropy(b)),
            ("moments (H_b, H_r, CE, both KL, TV) — one pass", () => DivergenceKernels.Moments(b, r).CrossEntropy),
            ("Jensen-Shannon", () => DivergenceKernels.JensenShannon(b, r)),
            ("top-1 mismatch (2 x IndexOfMax)", () => DivergenceKernels.ArgMax(b) == DivergenceKernels.ArgMax(r) ? 0 : 1),
            ("top-1 probability", () => DivergenceKernels.Top1Probability(b)),
            ("reference: scalar double loop, CE only", () => ScalarCrossEntropy(b, r)),
        };
        Console.WriteLine("| kernel | µs per pair | GB/s read |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (name, body) in rows)
        {
            var micros = Median(body, ref sink);
            var bytes = name.StartsWith("entropy") || name.StartsWith("top-1 prob") ? Vocab * 4.0 : Vocab * 8.0;
            Console.WriteLine($"| {name} | {micros:F1} | {bytes / micros / 1000:F1} |");
        }
        Console.WriteLine();
        Console.WriteLine($"(checksum {sink:G3})");
    }

    private static double Median(Func<double> body, ref double sink)
    {
        for (var i = 0; i < 20; i++)
        {
            sink += body();
        }
        var samples = new double[7];
        for (var s = 0; s < samples.Length; s++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 200; i++)
            {
                sink += body();
            }
            samples[s] = sw.Elapsed.TotalMicroseconds / 200;
        }
        Array.Sort(samples);
        return samples[3];
    }

    private static double ScalarCrossEntropy(float[] b, float[] r)
    {
        double ce = 0;
        for (var i = 0; i < b.Length; i++)
        {
            var p = Math.Exp(b[i]);
            ce -= p > 0 ? p * r[i] : 0;
        }
        return ce;
    }

    private static float[] RandomLogProbs(int seed)
    {
        var random = new Random(seed);
        var logits = Enumerable.Range(0, Vocab).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        var max = logits.Max();
        var lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
        return logits.Select(l => (float)(l - lse)).ToArray();
    }
}

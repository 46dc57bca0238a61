using System.Numerics.Tensors;

namespace EvalCluster.Inference.Sampling;

/// <summary>
/// Chooses the next token from log-probabilities: greedy (argmax, ties to the lowest id), or temperature,
/// then top-k, then top-p (nucleus), then one draw from the sequence's own random stream.
/// </summary>
public static class Sampler
{
    public static int Sample(ReadOnlySpan<float> logProbs, SamplingOptions options, SequenceRandom rng)
    {
        if (logProbs.IsEmpty)
        {
            throw new ArgumentException("cannot sample from an empty distribution", nameof(logProbs));
        }
        if (options.IsGreedy)
        {
            return TensorPrimitives.IndexOfMax(logProbs);
        }
        var u = rng.NextDouble();
        if (options.TopK <= 0 && options.TopP >= 1f)
        {
            return SampleFull(logProbs, 1.0 / options.Temperature, u);
        }
        var candidates = Candidates(logProbs, options);
        var cumulative = 0.0;
        foreach (var (id, p) in candidates)
        {
            cumulative += p;
            if (u < cumulative)
            {
                return id;
            }
        }
        return candidates[^1].Id;
    }

    // No filter: one pass for the normaliser, one for the draw, in id order (no sort of the vocabulary).
    private static int SampleFull(ReadOnlySpan<float> logProbs, double invT, double u)
    {
        var max = (double)TensorPrimitives.Max(logProbs);
        var total = 0.0;
        for (var i = 0; i < logProbs.Length; i++)
        {
            total += Math.Exp((logProbs[i] - max) * invT);
        }
        var target = u * total;
        var cumulative = 0.0;
        var last = 0;
        for (var i = 0; i < logProbs.Length; i++)
        {
            if (float.IsNegativeInfinity(logProbs[i]))
            {
                continue;
            }
            last = i;
            cumulative += Math.Exp((logProbs[i] - max) * invT);
            if (target < cumulative)
            {
                return i;
            }
        }
        return last;
    }

    /// <summary>The renormalised candidate set after temperature, top-k and top-p, most probable first.</summary>
    public static IReadOnlyList<(int Id, double P)> CandidateSet(ReadOnlySpan<float> logProbs, SamplingOptions options) =>
        Candidates(logProbs, options);

    private static List<(int Id, double P)> Candidates(ReadOnlySpan<float> logProbs, SamplingOptions options)
    {
        var invT = 1.0 / options.Temperature;
        var max = (double)TensorPrimitives.Max(logProbs);
        var all = new List<(int Id, double W)>(logProbs.Length);
        var total = 0.0;
        for (var i = 0; i < logProbs.Length; i++)
        {
            if (float.IsNegativeInfinity(logProbs[i]))
            {
                continue;
            }
            var w = Math.Exp((logProbs[i] - max) * invT);
            all.Add((i, w));
            total += w;
        }
        // Stable order: probability descending, id ascending, so ties never depend on the sort algorithm.
        all.Sort((a, b) => a.W != b.W ? b.W.CompareTo(a.W) : a.Id.CompareTo(b.Id));
        var keep = options.TopK > 0 ? Math.Min(options.TopK, all.Count) : all.Count;
        if (options.TopK > 0)
        {
            total = 0;
            for (var i = 0; i < keep; i++)
            {
                total += all[i].W;
            }
        }
        var result = new List<(int Id, double P)>(Math.Min(keep, 1024));
        var mass = 0.0;
        for (var i = 0; i < keep; i++)
        {
            var p = all[i].W / total;
            result.Add((all[i].Id, p));
            mass += p;
            if (options.TopP < 1f && mass >= options.TopP)
            {
                break;
            }
        }
        var kept = result.Sum(r => r.P);
        for (var i = 0; i < result.Count; i++)
        {
            result[i] = (result[i].Id, result[i].P / kept);
        }
        return result;
    }
}

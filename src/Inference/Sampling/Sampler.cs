using System.Numerics.Tensors;

namespace EvalCluster.Inference.Sampling;

/// <summary>
/// Chooses the next token from log-probabilities: greedy (argmax, ties to the lowest id), or temperature,
/// then top-k, then top-p (nucleus), then one draw from the sequence's own random stream. Top-k/top-p select
/// their candidates by partial selection, never by sorting the whole vocabulary.
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

    // Partial selection instead of sorting the vocabulary: the best k entries (probability descending, id
    // ascending: a total order, so the result is exactly what a full stable sort gives) are selected in O(V)
    // by quickselect and only they are sorted. Top-p alone starts with k = 256 and widens k eightfold while the
    // kept mass falls short of p. The normaliser is summed in id order, as the full-sort version did.
    private static List<(int Id, double P)> Candidates(ReadOnlySpan<float> logProbs, SamplingOptions options)
    {
        var invT = 1.0 / options.Temperature;
        var max = (double)TensorPrimitives.Max(logProbs);
        var ids = new int[logProbs.Length];
        var weights = new double[logProbs.Length];
        var count = 0;
        var total = 0.0;
        for (var i = 0; i < logProbs.Length; i++)
        {
            if (float.IsNegativeInfinity(logProbs[i]))
            {
                continue;
            }
            var w = Math.Exp((logProbs[i] - max) * invT);
            ids[count] = i;
            weights[i] = w;
            total += w;
            count++;
        }
        var order = ids.AsSpan(0, count);
        var keep = options.TopK > 0 ? Math.Min(options.TopK, count) : Math.Min(256, count);
        while (true)
        {
            SelectBest(order, weights, keep);
            order[..keep].Sort((a, b) => Compare(a, b, weights));
            if (options.TopK > 0)
            {
                total = 0;
                for (var i = 0; i < keep; i++)
                {
                    total += weights[order[i]];
                }
            }
            var result = new List<(int Id, double P)>(Math.Min(keep, 1024));
            var mass = 0.0;
            var reached = false;
            for (var i = 0; i < keep; i++)
            {
                var p = weights[order[i]] / total;
                result.Add((order[i], p));
                mass += p;
                if (options.TopP < 1f && mass >= options.TopP)
                {
                    reached = true;
                    break;
                }
            }
            if (reached || keep == count || options.TopK > 0)
            {
                var kept = result.Sum(r => r.P);
                for (var i = 0; i < result.Count; i++)
                {
                    result[i] = (result[i].Id, result[i].P / kept);
                }
                return result;
            }
            // Widen eightfold; a nucleus over a quarter of the vocabulary is cheaper to sort whole at once.
            keep = keep * 8L > count / 4 ? count : keep * 8;
        }
    }

    // Higher weight first, then lower id.
    private static int Compare(int a, int b, double[] weights) =>
        weights[a] != weights[b] ? weights[b].CompareTo(weights[a]) : a.CompareTo(b);

    /// <summary>Rearranges <paramref name="order"/> so that its first <paramref name="k"/> entries are the k best (unsorted).</summary>
    private static void SelectBest(Span<int> order, double[] weights, int k)
    {
        int lo = 0, hi = order.Length - 1;
        while (lo < hi && k > lo && k <= hi)
        {
            var pivot = order[lo + (hi - lo) / 2];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (Compare(order[i], pivot, weights) < 0)
                {
                    i++;
                }
                while (Compare(order[j], pivot, weights) > 0)
                {
                    j--;
                }
                if (i <= j)
                {
                    (order[i], order[j]) = (order[j], order[i]);
                    i++;
                    j--;
                }
            }
            // [lo, j] <= pivot <= [i, hi] in the order; keep partitioning the side holding the k-th boundary.
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }
}

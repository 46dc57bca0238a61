using System.Numerics.Tensors;
using EvalCluster.Inference.Sampling;

namespace EvalCluster.Inference.Tests.Sampling;

/// <summary>
/// Top-k/top-p by partial selection give exactly the candidate set of a full stable sort of the vocabulary
/// (the previous implementation, kept here as the reference): same ids, same order, same probabilities,
/// with ties, impossible tokens, tiny and Qwen3-sized vocabularies.
/// </summary>
public sealed class PartialSelectionTests
{
    public static TheoryData<int, int, float, float> Cases()
    {
        var data = new TheoryData<int, int, float, float>();
        foreach (var vocab in new[] { 1, 7, 320, 151_936 })
        {
            foreach (var (k, p) in new[] { (0, 0.5f), (0, 0.9f), (0, 0.999f), (1, 1f), (5, 1f), (50, 0.95f), (400, 1f), (0, 1e-9f) })
            {
                data.Add(vocab, k, p, 0.7f);
            }
        }
        data.Add(151_936, 0, 0.95f, 5f); // a flat distribution: top-p needs tens of thousands of candidates
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Partial_selection_equals_a_full_sort_of_the_vocabulary(int vocab, int topK, float topP, float temperature)
    {
        var rng = new Random(vocab + topK);
        var logits = new float[vocab];
        for (var i = 0; i < vocab; i++)
        {
            // Quantised to force ties; a few impossible tokens.
            logits[i] = i % 97 == 3 && vocab > 1 ? float.NegativeInfinity : MathF.Round((float)(rng.NextDouble() * 12 - 6) * 4) / 4;
        }
        var options = new SamplingOptions(temperature, topP, topK);

        var actual = Sampler.CandidateSet(logits, options);
        var expected = FullSort(logits, options);

        Assert.Equal(expected.Select(c => c.Id), actual.Select(c => c.Id));
        Assert.Equal(expected.Select(c => c.P), actual.Select(c => c.P));
    }

    // The full-sort reference: every candidate sorted by probability descending, id ascending.
    private static List<(int Id, double P)> FullSort(ReadOnlySpan<float> logProbs, SamplingOptions options)
    {
        var invT = 1.0 / options.Temperature;
        var max = (double)TensorPrimitives.Max(logProbs);
        var all = new List<(int Id, double W)>();
        var total = 0.0;
        for (var i = 0; i < logProbs.Length; i++)
        {
            if (!float.IsNegativeInfinity(logProbs[i]))
            {
                var w = Math.Exp((logProbs[i] - max) * invT);
                all.Add((i, w));
                total += w;
            }
        }
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
        var result = new List<(int Id, double P)>();
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
        return [.. result.Select(r => (r.Id, r.P / kept))];
    }
}

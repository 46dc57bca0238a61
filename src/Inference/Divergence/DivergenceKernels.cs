using System.Numerics;
using System.Numerics.Tensors;

namespace EvalCluster.Inference.Divergence;

/// <summary>
/// Divergence kernels over natural-log probability vectors of vocabulary size. Each kernel reads its inputs
/// once, SIMD-wide; a probability of 0 (log -inf) contributes 0 to every p*log term (the 0 * -inf = 0
/// convention) by masking, so fully -inf entries never turn a sum into NaN. Lanes accumulate in float over
/// blocks of <see cref="BlockSize"/> entries and blocks add up in double, which keeps 151,936-entry sums exact
/// to ~1e-6 relative.
/// </summary>
public static class DivergenceKernels
{
    private const int BlockSize = 2048;

    /// <summary>Entropy -sum p log p of one distribution.</summary>
    public static double Entropy(ReadOnlySpan<float> logProbs)
    {
        var zero = Vector<float>.Zero;
        var width = Vector<float>.Count;
        double total = 0;
        var i = 0;
        while (i < logProbs.Length)
        {
            var end = Math.Min(logProbs.Length, i + BlockSize);
            var acc = zero;
            for (; i + width <= end; i += width)
            {
                var l = new Vector<float>(logProbs[i..]);
                var p = Vector.Exp(l);
                acc += Vector.ConditionalSelect(Vector.GreaterThan(p, zero), p * l, zero);
            }
            double block = Vector.Sum(acc);
            for (; i < end; i++)
            {
                block += Term(MathF.Exp(logProbs[i]), logProbs[i]);
            }
            total += block;
        }
        return -total;
    }

    /// <summary>Entropies, cross-entropies, both KL divergences and total variation in one pass.</summary>
    public static PairMoments Moments(ReadOnlySpan<float> baseLogProbs, ReadOnlySpan<float> guideLogProbs)
    {
        CheckSameLength(baseLogProbs, guideLogProbs);
        var zero = Vector<float>.Zero;
        var width = Vector<float>.Count;
        double bb = 0, rr = 0, br = 0, rb = 0, klBr = 0, klRb = 0, abs = 0;
        var i = 0;
        var n = baseLogProbs.Length;
        while (i < n)
        {
            var end = Math.Min(n, i + BlockSize);
            Vector<float> aBb = zero, aRr = zero, aBr = zero, aRb = zero, aKlBr = zero, aKlRb = zero, aAbs = zero;
            for (; i + width <= end; i += width)
            {
                var lb = new Vector<float>(baseLogProbs[i..]);
                var lr = new Vector<float>(guideLogProbs[i..]);
                var pb = Vector.Exp(lb);
                var pr = Vector.Exp(lr);
                var hasB = Vector.GreaterThan(pb, zero);
                var hasR = Vector.GreaterThan(pr, zero);
                aBb += Vector.ConditionalSelect(hasB, pb * lb, zero);
                aBr += Vector.ConditionalSelect(hasB, pb * lr, zero);
                aKlBr += Vector.ConditionalSelect(hasB, pb * (lb - lr), zero);
                aRr += Vector.ConditionalSelect(hasR, pr * lr, zero);
                aRb += Vector.ConditionalSelect(hasR, pr * lb, zero);
                aKlRb += Vector.ConditionalSelect(hasR, pr * (lr - lb), zero);
                aAbs += Vector.Abs(pb - pr);
            }
            double sBb = Vector.Sum(aBb), sRr = Vector.Sum(aRr), sBr = Vector.Sum(aBr), sRb = Vector.Sum(aRb);
            double sKlBr = Vector.Sum(aKlBr), sKlRb = Vector.Sum(aKlRb), sAbs = Vector.Sum(aAbs);
            for (; i < end; i++)
            {
                float lb = baseLogProbs[i], lr = guideLogProbs[i];
                float pb = MathF.Exp(lb), pr = MathF.Exp(lr);
                sBb += Term(pb, lb);
                sBr += Term(pb, lr);
                sKlBr += Term(pb, lb - lr);
                sRr += Term(pr, lr);
                sRb += Term(pr, lb);
                sKlRb += Term(pr, lr - lb);
                sAbs += MathF.Abs(pb - pr);
            }
            bb += sBb; rr += sRr; br += sBr; rb += sRb; klBr += sKlBr; klRb += sKlRb; abs += sAbs;
        }
        return new PairMoments(bb, rr, br, rb, klBr, klRb, abs);
    }

    /// <summary>Jensen-Shannon divergence (natural log, so at most ln 2).</summary>
    public static double JensenShannon(ReadOnlySpan<float> baseLogProbs, ReadOnlySpan<float> guideLogProbs)
    {
        CheckSameLength(baseLogProbs, guideLogProbs);
        var zero = Vector<float>.Zero;
        var half = new Vector<float>(0.5f);
        var width = Vector<float>.Count;
        double total = 0;
        var i = 0;
        var n = baseLogProbs.Length;
        while (i < n)
        {
            var end = Math.Min(n, i + BlockSize);
            var acc = zero;
            for (; i + width <= end; i += width)
            {
                var lb = new Vector<float>(baseLogProbs[i..]);
                var lr = new Vector<float>(guideLogProbs[i..]);
                var pb = Vector.Exp(lb);
                var pr = Vector.Exp(lr);
                var lm = Vector.Log(half * (pb + pr));
                acc += Vector.ConditionalSelect(Vector.GreaterThan(pb, zero), pb * (lb - lm), zero);
                acc += Vector.ConditionalSelect(Vector.GreaterThan(pr, zero), pr * (lr - lm), zero);
            }
            double block = Vector.Sum(acc);
            for (; i < end; i++)
            {
                float lb = baseLogProbs[i], lr = guideLogProbs[i];
                float pb = MathF.Exp(lb), pr = MathF.Exp(lr);
                var lm = MathF.Log(0.5f * (pb + pr));
                block += Term(pb, lb - lm) + Term(pr, lr - lm);
            }
            total += block;
        }
        // Rounding can leave a tiny negative value for identical inputs; the divergence itself is >= 0.
        return Math.Max(0, 0.5 * total);
    }

    /// <summary>Index of the most likely token (lowest index on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> logProbs) => TensorPrimitives.IndexOfMax(logProbs);

    /// <summary>Probability of the most likely token.</summary>
    public static double Top1Probability(ReadOnlySpan<float> logProbs) => Math.Exp(TensorPrimitives.Max(logProbs));

    private static double Term(float p, float log) => p > 0 ? (double)p * log : 0;

    private static void CheckSameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"log-probability vectors differ in length ({a.Length} vs {b.Length}); base and guide must share one vocabulary.");
        }
    }
}

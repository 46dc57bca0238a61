using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace EvalCluster.Inference.Models;

/// <summary>
/// Numerically stable log-softmax of one logits row. At a 151,936-token vocabulary a row is 600 KB, so the cost is
/// the passes over memory, not the arithmetic: <see cref="Into"/> reads the source twice (max; then x - max stored
/// with exp(x - max) summed in the same pass) and the destination once more (subtract log-sum), where the first
/// version copied the row into a fresh zeroed array and passed over it seven more times.
/// </summary>
internal static class LogSoftmax
{
    /// <summary>Writes the log-softmax of <paramref name="logits"/> into <paramref name="destination"/> (same length; may be the same memory).</summary>
    public static void Into(ReadOnlySpan<float> logits, Span<float> destination)
    {
        if (destination.Length != logits.Length)
        {
            throw new ArgumentException($"destination has {destination.Length} entries for {logits.Length} logits");
        }
        var max = TensorPrimitives.Max(logits);
        var sum = ShiftAndSumExp(logits, max, destination);
        TensorPrimitives.Subtract(destination, MathF.Log(sum), destination);
    }

    /// <summary>Replaces <paramref name="values"/> by its log-softmax.</summary>
    public static void InPlace(Span<float> values) => Into(values, values);

    // destination = logits - max, returning sum(exp(logits - max)) (accumulated in float64 per lane, then summed).
    private static float ShiftAndSumExp(ReadOnlySpan<float> logits, float max, Span<float> destination)
    {
        var i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated && logits.Length >= Vector256<float>.Count)
        {
            var shift = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            ref var src = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(logits);
            ref var dst = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
            // Flushed into the float64 sum every 4,096 elements, so a long row does not lose low bits in float32 lanes.
            for (var block = 0; i <= logits.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var d = Vector256.LoadUnsafe(ref src, (nuint)i) - shift;
                d.StoreUnsafe(ref dst, (nuint)i);
                acc += Vector256.Exp(d);
                if (++block == 512)
                {
                    sum += Vector256.Sum(acc);
                    acc = Vector256<float>.Zero;
                    block = 0;
                }
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < logits.Length; i++)
        {
            var d = logits[i] - max;
            destination[i] = d;
            sum += MathF.Exp(d);
        }
        return (float)sum;
    }
}

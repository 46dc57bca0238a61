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
    public static void Into(ReadOnlySpan<float> logits, Span<float> destination) =>
        Into(logits, destination, Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0);

    /// <summary>As <see cref="Into(ReadOnlySpan{float}, Span{float})"/> with the vector width chosen (256, 128 or 0 bits: scalar), for tests of each path.</summary>
    internal static void Into(ReadOnlySpan<float> logits, Span<float> destination, int vectorBits)
    {
        if (destination.Length != logits.Length)
        {
            throw new ArgumentException($"destination has {destination.Length} entries for {logits.Length} logits");
        }
        var max = TensorPrimitives.Max(logits);
        var sum = ShiftAndSumExp(logits, max, destination, vectorBits);
        TensorPrimitives.Subtract(destination, MathF.Log(sum), destination);
    }

    /// <summary>Replaces <paramref name="values"/> by its log-softmax.</summary>
    public static void InPlace(Span<float> values) => Into(values, values);

    // destination = logits - max, returning sum(exp(logits - max)), accumulated in float32 lanes and flushed into a
    // float64 sum every 4,096 elements, so a long row does not lose low bits. 256-bit vectors on x64 (AVX2), 128-bit
    // on Arm64 (NEON), scalar otherwise.
    private static float ShiftAndSumExp(ReadOnlySpan<float> logits, float max, Span<float> destination, int vectorBits)
    {
        var i = 0;
        double sum = 0;
        ref var src = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(logits);
        ref var dst = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(destination);
        if (vectorBits == 256 && logits.Length >= Vector256<float>.Count)
        {
            var shift = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            for (var block = 0; i <= logits.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var d = Vector256.LoadUnsafe(ref src, (nuint)i) - shift;
                d.StoreUnsafe(ref dst, (nuint)i);
                acc += Vector256.Exp(d);
                if (++block == 512)
                {
                    (sum, acc, block) = (sum + Vector256.Sum(acc), Vector256<float>.Zero, 0);
                }
            }
            sum += Vector256.Sum(acc);
        }
        else if (vectorBits == 128 && logits.Length >= Vector128<float>.Count)
        {
            var shift = Vector128.Create(max);
            var acc = Vector128<float>.Zero;
            for (var block = 0; i <= logits.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                var d = Vector128.LoadUnsafe(ref src, (nuint)i) - shift;
                d.StoreUnsafe(ref dst, (nuint)i);
                acc += Vector128.Exp(d);
                if (++block == 1024)
                {
                    (sum, acc, block) = (sum + Vector128.Sum(acc), Vector128<float>.Zero, 0);
                }
            }
            sum += Vector128.Sum(acc);
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

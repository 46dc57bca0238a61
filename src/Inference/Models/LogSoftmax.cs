using System.Numerics.Tensors;

namespace EvalCluster.Inference.Models;

/// <summary>Numerically stable log-softmax of one logits row into a new float32 vector.</summary>
internal static class LogSoftmax
{
    public static float[] Compute(ReadOnlySpan<float> logits)
    {
        var result = new float[logits.Length];
        logits.CopyTo(result);
        InPlace(result);
        return result;
    }

    /// <summary>Replaces <paramref name="values"/> by its log-softmax.</summary>
    public static void InPlace(Span<float> values)
    {
        var result = values;
        var logits = values;
        var max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, result);
        var scratch = System.Buffers.ArrayPool<float>.Shared.Rent(logits.Length);
        try
        {
            var exp = scratch.AsSpan(0, logits.Length);
            TensorPrimitives.Exp(result, exp);
            var logSum = MathF.Log(TensorPrimitives.Sum<float>(exp));
            TensorPrimitives.Subtract(result, logSum, result);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scratch);
        }
    }
}

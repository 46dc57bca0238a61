using System.Numerics.Tensors;

namespace EvalCluster.Inference.Models;

/// <summary>Numerically stable log-softmax of one logits row, in place.</summary>
internal static class LogSoftmax
{
    /// <summary>Replaces <paramref name="values"/> by its log-softmax.</summary>
    public static void InPlace(Span<float> values)
    {
        TensorPrimitives.Subtract(values, TensorPrimitives.Max(values), values);
        var scratch = System.Buffers.ArrayPool<float>.Shared.Rent(values.Length);
        try
        {
            var exp = scratch.AsSpan(0, values.Length);
            TensorPrimitives.Exp(values, exp);
            TensorPrimitives.Subtract(values, MathF.Log(TensorPrimitives.Sum<float>(exp)), values);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(scratch);
        }
    }
}

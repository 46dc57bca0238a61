using Google.Protobuf;
using Onnx;

namespace EvalCluster.TestModels;

/// <summary>
/// Saves an ONNX model with its large initializers in a side file (<c>model.onnx.data</c> beside <c>model.onnx</c>),
/// as ONNX external data: each moved tensor keeps its name, type and dims, and gets <c>data_location = EXTERNAL</c>
/// with <c>location</c> / <c>offset</c> / <c>length</c> entries. Needed above protobuf's 2 GB message limit (an
/// 8B-parameter float16 model is ~16 GB); ONNX Runtime reads the side file relative to the model's folder.
/// </summary>
public static class ExternalData
{
    /// <summary>Offsets of moved tensors are multiples of this (a page), so the side file can be memory-mapped.</summary>
    public const int Alignment = 4096;

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="onnxPath"/> and every initializer of at least
    /// <paramref name="minBytes"/> bytes to <c>onnxPath + ".data"</c>. The moved tensors' data are cleared from
    /// <paramref name="model"/> as they are written (so the model object is changed and memory is released).
    /// </summary>
    public static void Save(ModelProto model, string onnxPath, long minBytes = 1024)
    {
        var dataPath = onnxPath + ".data";
        var location = Path.GetFileName(dataPath);
        using (var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            foreach (var tensor in model.Graph.Initializer)
            {
                var bytes = RawBytes(tensor);
                if (bytes.Length == 0 || bytes.Length < minBytes)
                {
                    continue;
                }
                var offset = (data.Position + Alignment - 1) / Alignment * Alignment;
                data.Write(new byte[offset - data.Position]);
                data.Write(bytes.Span);
                tensor.RawData = ByteString.Empty;
                tensor.FloatData.Clear();
                tensor.Int64Data.Clear();
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        }
        using var file = File.Create(onnxPath);
        model.WriteTo(file);
    }

    // The tensor's little-endian bytes (raw_data as stored, not copied, or the typed float / int64 fields packed);
    // empty for a tensor kind this writer does not emit.
    private static ReadOnlyMemory<byte> RawBytes(TensorProto t)
    {
        if (!t.RawData.IsEmpty)
        {
            return t.RawData.Memory;
        }
        if (t.DataType == GraphBuilder.FloatType && t.FloatData.Count > 0)
        {
            var bytes = new byte[t.FloatData.Count * 4];
            for (var i = 0; i < t.FloatData.Count; i++)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), t.FloatData[i]);
            }
            return bytes;
        }
        if (t.DataType == GraphBuilder.Int64Type && t.Int64Data.Count > 0)
        {
            var bytes = new byte[t.Int64Data.Count * 8];
            for (var i = 0; i < t.Int64Data.Count; i++)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), t.Int64Data[i]);
            }
            return bytes;
        }
        return ReadOnlyMemory<byte>.Empty;
    }
}

using Google.Protobuf;
using Onnx;

namespace EvalCluster.TestModels;

/// <summary>A thin helper over the ONNX protobuf classes: adds nodes with generated output names and initializers.</summary>
internal sealed class GraphBuilder
{
    public const int FloatType = 1;
    public const int Int32Type = 6;
    public const int Int64Type = 7;
    public const int BoolType = 9;
    public const int Float16Type = 10;

    private int _counter;

    public GraphProto Graph { get; } = new() { Name = "decoder" };

    public string Node(string op, string[] inputs, params AttributeProto[] attributes) => Nodes(op, inputs, 1, attributes)[0];

    public string[] Nodes(string op, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_counter}" };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => $"{op.ToLowerInvariant()}_{_counter}_{i}").ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        _counter++;
        Graph.Node.Add(node);
        return names;
    }

    /// <summary>Renames the single output of the last node (to give graph outputs their contract names).</summary>
    public void NameLastOutput(string name)
    {
        var node = Graph.Node[^1];
        var old = node.Output[0];
        node.Output[0] = name;
        foreach (var n in Graph.Node)
        {
            for (var i = 0; i < n.Input.Count; i++)
            {
                if (n.Input[i] == old)
                {
                    n.Input[i] = name;
                }
            }
        }
    }

    public string Floats(string name, float[] values, long[] dims, bool asFloat16)
    {
        var t = new TensorProto { Name = name, DataType = asFloat16 ? Float16Type : FloatType };
        t.Dims.AddRange(dims);
        if (asFloat16)
        {
            var bytes = new byte[values.Length * 2];
            for (var i = 0; i < values.Length; i++)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (Half)values[i]);
            }
            t.RawData = ByteString.CopyFrom(bytes);
        }
        else
        {
            t.FloatData.AddRange(values);
        }
        Graph.Initializer.Add(t);
        return name;
    }

    public string Int64s(long[] values, long[]? dims = null)
    {
        var t = new TensorProto { Name = $"const_{_counter++}", DataType = Int64Type };
        t.Dims.AddRange(dims ?? [values.Length]);
        t.Int64Data.AddRange(values);
        Graph.Initializer.Add(t);
        return t.Name;
    }

    public string Scalar(float value)
    {
        var t = new TensorProto { Name = $"const_{_counter++}", DataType = FloatType };
        t.FloatData.Add(value);
        Graph.Initializer.Add(t);
        return t.Name;
    }

    public void Input(string name, int elemType, params string[] dims) => Graph.Input.Add(Value(name, elemType, dims));

    public void Output(string name, int elemType, params string[] dims) => Graph.Output.Add(Value(name, elemType, dims));

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto FloatAttr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static ValueInfoProto Value(string name, int elemType, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(long.TryParse(d, out var v) ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } },
        };
    }
}

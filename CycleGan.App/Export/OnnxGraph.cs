using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace CycleGan.App.Export;

/// <summary>
/// An ONNX graph under construction: nodes in order, weights as float initializers, fresh names for intermediate
/// values. The protobuf messages are the classes Grpc.Tools generates from Proto/onnx.proto.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, int> counters = new(StringComparer.Ordinal);

    public GraphProto Proto { get; } = new();

    /// <summary>A name not used yet, from <paramref name="stem"/> (relu_3, conv_12, ...).</summary>
    public string Fresh(string stem)
    {
        counters[stem] = counters.GetValueOrDefault(stem) + 1;
        return $"{stem}_{counters[stem].ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Adds <paramref name="value"/> (copied to the CPU as float32) as an initializer named <paramref name="name"/>.</summary>
    public string Weight(string name, Tensor value)
    {
        using var scope = NewDisposeScope();
        Tensor cpu = value.detach().to(ScalarType.Float32).cpu().contiguous();
        float[] data = cpu.data<float>().ToArray();
        var bytes = new byte[data.Length * sizeof(float)];
        // TensorProto.raw_data is little-endian by the format's definition
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX export writes raw little-endian data and needs a little-endian machine");
        }

        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(cpu.shape);
        Proto.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A constant float vector (instance norm's unit scale and zero bias, ...).</summary>
    public string Constant(string name, float[] values) =>
        Vector(name, TensorProto.Types.DataType.Float, values.Length, tensor => tensor.FloatData.AddRange(values));

    /// <summary>A constant int64 vector (Pad's pads, ...).</summary>
    public string Constant(string name, long[] values) =>
        Vector(name, TensorProto.Types.DataType.Int64, values.Length, tensor => tensor.Int64Data.AddRange(values));

    /// <summary>Appends a node of <paramref name="op"/> and returns its (single) output's name.</summary>
    public string Node(string op, string stem, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string output = Fresh(stem);
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
        return output;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>A float32 image tensor [batch, channels, height, width] with dynamic batch, height and width.</summary>
    public static ValueInfoProto Image(string name, int channels, string docString)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = channels });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "height" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "width" });
        return new ValueInfoProto
        {
            Name = name,
            DocString = docString,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private string Vector(string name, TensorProto.Types.DataType type, int length, Action<TensorProto> fill)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.Add(length);
        fill(tensor);
        Proto.Initializer.Add(tensor);
        return name;
    }
}

using System.Globalization;
using System.Text.Json;
using Onnx;

namespace CycleGan.Tests.Export;

/// <summary>One line per ONNX node, "Op(inputs) -> outputs {attribute=value, ...}", written the same way from a node our
/// exporter made and from a node as scripts/interop/make_fixtures.py recorded it (onnx's own reading), so the two
/// compare as text. Floats are compared as the float32 the format stores.</summary>
internal static class OnnxStructure
{
    public static string Describe(NodeProto node) => Line(node.OpType, node.Input, node.Output,
        node.Attribute.Select(a => (a.Name, a.Type switch
        {
            AttributeProto.Types.AttributeType.Int => Int(a.I),
            AttributeProto.Types.AttributeType.Float => Float(a.F),
            AttributeProto.Types.AttributeType.String => a.S.ToStringUtf8(),
            AttributeProto.Types.AttributeType.Ints => "[" + string.Join(",", a.Ints.Select(Int)) + "]",
            AttributeProto.Types.AttributeType.Floats => "[" + string.Join(",", a.Floats.Select(Float)) + "]",
            AttributeProto.Types.AttributeType.Tensor => $"tensor {a.T.DataType} [{string.Join(",", a.T.Dims.Select(Int))}]",
            _ => $"attribute of type {a.Type}",
        })));

    public static string Describe(JsonElement node) => Line(node.GetProperty("op").GetString()!,
        node.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()!), node.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()!),
        node.GetProperty("attributes").EnumerateObject().Select(p => (p.Name, Value(p.Value))));

    private static string Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => Number(v),
        JsonValueKind.Array => "[" + string.Join(",", v.EnumerateArray().Select(Number)) + "]",
        JsonValueKind.Object => $"tensor {v.GetProperty("data_type").GetInt32()} [{string.Join(",", v.GetProperty("dims").EnumerateArray().Select(d => Int(d.GetInt64())))}]",
        _ => v.GetRawText(),
    };

    // Python writes a float attribute with a point or an exponent (0.2 as float32 reads 0.20000000298023224), an int without
    private static string Number(JsonElement v) =>
        v.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0 ? Float((float)v.GetDouble()) : Int(v.GetInt64());

    private static string Int(long i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Float(float f) => "f" + f.ToString("R", CultureInfo.InvariantCulture);

    private static string Line(string op, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<(string Name, string Value)> attributes) =>
        $"{op}({string.Join(", ", inputs)}) -> {string.Join(", ", outputs)} {{{string.Join(", ", attributes.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => $"{a.Name}={a.Value}"))}}}";
}

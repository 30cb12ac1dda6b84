using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace CycleGan.App.Generators;

/// <summary>
/// A generator exported to ONNX, run by ONNX Runtime on the CPU. It is a module like the TorchSharp generators, so
/// translate's input handling (padding to the side multiple and cropping back, batching, naming, bad-file rules)
/// applies unchanged; only the forward pass leaves libtorch. It lives in Inference because it is an inference engine
/// that translate and the export check both use; Export only writes files.
/// </summary>
public sealed class OnnxGenerator : nn.Module<Tensor, Tensor>
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;

    private OnnxGenerator(string path, InferenceSession session, string inputName, string outputName, int inputChannels, int outputChannels,
        int sideMultiple, IReadOnlyDictionary<string, string> metadata)
        : base(nameof(OnnxGenerator))
    {
        Path = path;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        InputChannels = inputChannels;
        OutputChannels = outputChannels;
        SideMultiple = sideMultiple;
        Metadata = metadata;
    }

    public string Path { get; }

    public int InputChannels { get; }

    public int OutputChannels { get; }

    /// <summary>Image sides must be multiples of this: the model's metadata says so, or its strided convolutions do.</summary>
    public int SideMultiple { get; }

    /// <summary>The model's metadata_props (empty for a model from another exporter).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>
    /// Opens <paramref name="path"/> and checks that it is an image generator: one float input and one float output,
    /// each [batch, C, height, width] with C 1 or 3.
    /// </summary>
    public static OnnxGenerator Open(string path, SessionOptions? options = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"ONNX model {path} does not exist", path);
        }

        InferenceSession session;
        try
        {
            session = options is null ? new InferenceSession(path) : new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{path} is not an ONNX model ONNX Runtime can load: {ex.Message}", ex);
        }

        try
        {
            if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
            {
                throw new InvalidDataException(
                    $"{path} is not an image generator: it has {session.InputMetadata.Count} input(s) ({string.Join(", ", session.InputMetadata.Keys)}) and " +
                    $"{session.OutputMetadata.Count} output(s) ({string.Join(", ", session.OutputMetadata.Keys)}); a generator has one image in and one out");
            }

            var (inputName, input) = session.InputMetadata.Single();
            var (outputName, output) = session.OutputMetadata.Single();
            int inputChannels = ImageChannels(path, "input", inputName, input);
            int outputChannels = ImageChannels(path, "output", outputName, output);
            var metadata = session.ModelMetadata.CustomMetadataMap.ToDictionary(StringComparer.Ordinal);
            int multiple = metadata.TryGetValue(OnnxMetadata.SideMultiple, out string? m) && int.TryParse(m, CultureInfo.InvariantCulture, out int given) && given >= 1
                ? given
                : StrideProduct(path);
            return new OnnxGenerator(path, session, inputName, outputName, inputChannels, outputChannels, multiple, metadata);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != InputChannels)
        {
            throw new ArgumentException(
                $"{Path} takes [batch, {InputChannels}, height, width] images; got [{string.Join(", ", input.shape)}]", nameof(input));
        }

        long[] shape = input.shape;
        float[] data = input.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        float[] result;
        long[] outShape;
        try
        {
            using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
            result = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            outShape = outputs[0].GetTensorTypeAndShape().Shape;
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{Path} failed on a [{string.Join(", ", shape)}] input: {ex.Message}", ex);
        }

        if (outShape.Length != 4 || outShape[0] != shape[0] || outShape[1] != OutputChannels || outShape[2] != shape[2] || outShape[3] != shape[3])
        {
            throw new InvalidDataException(
                $"{Path} is not an image generator: a [{string.Join(", ", shape)}] input gave a [{string.Join(", ", outShape)}] output " +
                $"(expected [{shape[0]}, {OutputChannels}, {shape[2]}, {shape[3]}])");
        }

        return torch.tensor(result, outShape, dtype: ScalarType.Float32).to(input.device);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            session.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The model's float initializers (its weights) holding NaN or infinite values, each with how many.</summary>
    public IReadOnlyList<string> NonFiniteInitializers()
    {
        var problems = new List<string>();
        foreach (TensorProto t in ReadModel(Path).Graph.Initializer)
        {
            double[] values = (TensorProto.Types.DataType)t.DataType switch
            {
                TensorProto.Types.DataType.Float => t.RawData.Length > 0
                    ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray().Select(v => (double)v).ToArray()
                    : t.FloatData.Select(v => (double)v).ToArray(),
                TensorProto.Types.DataType.Double => t.RawData.Length > 0
                    ? MemoryMarshal.Cast<byte, double>(t.RawData.Span).ToArray()
                    : t.DoubleData.ToArray(),
                _ => [],
            };
            int nan = values.Count(double.IsNaN), inf = values.Count(double.IsInfinity);
            if (nan + inf > 0)
            {
                problems.Add($"{t.Name} ({nan} NaN, {inf} infinite of {values.Length})");
            }
        }

        return problems;
    }

    private static ModelProto ReadModel(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return ModelProto.Parser.ParseFrom(stream);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{path} is not an ONNX model: {ex.Message}", ex);
        }
    }

    private static int ImageChannels(string path, string role, string name, NodeMetadata meta)
    {
        int[] dims = meta.IsTensor ? meta.Dimensions : [];
        if (!meta.IsTensor || meta.ElementType != typeof(float) || dims.Length != 4)
        {
            string what = meta.IsTensor ? $"a {meta.ElementType.Name} tensor of rank {dims.Length}" : $"a {meta.OnnxValueType}";
            throw new InvalidDataException(
                $"{path} is not an image generator: its {role} '{name}' is {what}; a generator's is a float32 [batch, channels, height, width] image");
        }

        if (dims[1] is not (1 or 3))
        {
            string channels = dims[1] < 0 ? "a dynamic number of" : dims[1].ToString(CultureInfo.InvariantCulture);
            throw new InvalidDataException(
                $"{path} has the wrong channel count: its {role} '{name}' has {channels} channels; images here have 1 (gray) or 3 (RGB)");
        }

        return dims[1];
    }

    /// <summary>A model without our metadata: each stride-s convolution divides the sides by s, so they must be multiples
    /// of the product of the strides (4 for the ResNets, 2^downsamplings for the U-Nets).</summary>
    private static int StrideProduct(string path)
    {
        ModelProto model = ReadModel(path);
        long product = 1;
        foreach (NodeProto node in model.Graph.Node.Where(n => n.OpType == "Conv"))
        {
            AttributeProto? strides = node.Attribute.FirstOrDefault(a => a.Name == "strides");
            product *= strides is null || strides.Ints.Count == 0 ? 1 : strides.Ints.Max();
        }

        return (int)Math.Clamp(product, 1, 1 << 16);
    }
}

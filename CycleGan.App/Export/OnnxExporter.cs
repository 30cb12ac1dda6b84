using System.Globalization;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using CycleGan.App.Generators;
using Google.Protobuf;
using Onnx;

namespace CycleGan.App.Export;

/// <summary>What an exported model says about itself besides its graph.</summary>
public sealed record OnnxExportInfo
{
    public required int InputChannels { get; init; }

    public required int OutputChannels { get; init; }

    /// <summary>Image sides must be multiples of this.</summary>
    public required int SideMultiple { get; init; }

    /// <summary>ONNX operator set version (the default opset's domain).</summary>
    public int Opset { get; init; } = OnnxExporter.DefaultOpset;

    /// <summary>metadata_props entries (direction, epoch, config, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Writes a generator as an ONNX model by walking its own modules in eval semantics (batch norm on its running
/// statistics, dropout as identity): convolutions, normalisations, reflection padding, activations, the residual adds
/// and the U-Net's skip concatenations. Weights become float initializers; batch, height and width stay dynamic.
/// </summary>
public static class OnnxExporter
{
    public const int DefaultOpset = 17;

    /// <summary>Pad with a pads input and mode=reflect, and every other op used here, exist in this form from opset 11;
    /// the bundled onnx.proto (ONNX 1.12, IR version 8) describes operator sets up to 17.</summary>
    public const int MinimumOpset = 11;

    public const int MaximumOpset = 17;

    private const long IrVersion = 8;

    public static byte[] ExportBytes(nn.Module<Tensor, Tensor> generator, OnnxExportInfo info) => Export(generator, info).ToByteArray();

    internal static ModelProto Export(nn.Module<Tensor, Tensor> generator, OnnxExportInfo info)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(info);
        if (info.Opset is < MinimumOpset or > MaximumOpset)
        {
            throw new ArgumentException($"--opset {info.Opset} is not supported; allowed: {MinimumOpset} to {MaximumOpset}", nameof(info));
        }

        var graph = new OnnxGraph();
        graph.Proto.Name = generator.GetName();
        var walker = new Walker(graph);
        string output = walker.Walk(generator, OnnxMetadata.InputName, "");
        // the last node's output takes the public name
        NodeProto last = graph.Proto.Node[^1];
        if (last.Output[0] != output)
        {
            throw new InvalidOperationException("the graph's output is not the last node's");
        }

        last.Output[0] = OnnxMetadata.OutputName;
        string range = $"float32 in [-1, 1] (pixel / 127.5 - 1), NCHW";
        graph.Proto.Input.Add(OnnxGraph.Image(OnnxMetadata.InputName, info.InputChannels,
            $"the image to translate: {range}, {info.InputChannels} channel(s){(info.InputChannels == 3 ? " RGB" : " gray")}; height and width multiples of {info.SideMultiple}"));
        graph.Proto.Output.Add(OnnxGraph.Image(OnnxMetadata.OutputName, info.OutputChannels,
            $"the translation: {range}, {info.OutputChannels} channel(s), the input's height and width"));

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = OnnxMetadata.Producer,
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph.Proto,
            DocString = $"CycleGAN generator {generator.GetName()}: input '{OnnxMetadata.InputName}' [batch, {info.InputChannels}, height, width], " +
                        $"output '{OnnxMetadata.OutputName}' [batch, {info.OutputChannels}, height, width], both {range}. " +
                        $"Height and width must be multiples of {info.SideMultiple}.",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = info.Opset });
        var metadata = new SortedDictionary<string, string>(info.Metadata.ToDictionary(), StringComparer.Ordinal)
        {
            [OnnxMetadata.SideMultiple] = info.SideMultiple.ToString(CultureInfo.InvariantCulture),
            [OnnxMetadata.Range] = "-1,1",
        };
        foreach (var (key, value) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    /// <summary>
    /// Emits one module's nodes. In-place activations are followed as PyTorch (and TorchSharp) compute them: the tensor
    /// they were applied to holds their result afterwards, so a later reader of it (the U-Net's skip connection, whose
    /// block starts with an in-place LeakyReLU on its own input) reads the activated values.
    /// </summary>
    private sealed class Walker(OnnxGraph graph)
    {
        private readonly Dictionary<string, string> overwritten = new(StringComparer.Ordinal);

        public string Walk(nn.Module<Tensor, Tensor> module, string x, string path)
        {
            switch (module)
            {
                case ResnetGenerator resnet:
                    return Walk(resnet.Layers, x, Join(path, "model"));
                case UnetGenerator unet:
                    return Walk(unet.Root, x, Join(path, "model"));
                case Sequence sequence:
                    for (int i = 0; i < sequence.Layers.Count; i++)
                    {
                        x = Walk(sequence.Layers[i], x, Join(path, i.ToString(CultureInfo.InvariantCulture)));
                    }

                    return x;
                case ResnetBlock block:
                {
                    string y = Walk(block.Block, x, Join(path, "conv_block"));
                    return graph.Node("Add", "residual", [Current(x), y]);
                }

                case UnetSkipConnectionBlock block:
                {
                    string y = Walk(block.Layers, x, Join(path, "model"));
                    return block.Outermost ? y : graph.Node("Concat", "skip", [Current(x), y], OnnxGraph.Int("axis", 1));
                }

                case Conv2d conv:
                    return Conv(conv, x, path);
                case ConvTranspose2d deconv:
                    return ConvTranspose(deconv, x, path);
                case InstanceNorm2d norm:
                    return InstanceNorm(norm, x, path);
                case BatchNorm2d norm:
                    return BatchNorm(norm, x, path);
                case ReflectionPad2d pad:
                    var (l, r, t, b) = pad.Padding;
                    return Pad(x, t, l, b, r, "reflect", path);
                case ReLU relu:
                    return InPlace(relu.Inplace, x, graph.Node("Relu", "relu", [x]));
                case LeakyReLU leaky:
                    return InPlace(leaky.Inplace, x, graph.Node("LeakyRelu", "leaky_relu", [x], OnnxGraph.Float("alpha", leaky.NegativeSlope)));
                case Tanh:
                    return graph.Node("Tanh", "tanh", [x]);
                case Layers.Dropout or Dropout2d or Identity:
                    return x; // eval: dropout passes its input through
                default:
                    throw new NotSupportedException(
                        $"ONNX export does not know the module {module.GetType().Name} at '{path}' of {module.GetName()}");
            }
        }

        private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

        private string Current(string name)
        {
            while (overwritten.TryGetValue(name, out string? next))
            {
                name = next;
            }

            return name;
        }

        private string InPlace(bool inplace, string input, string output)
        {
            if (inplace)
            {
                overwritten[input] = output;
            }

            return output;
        }

        private string Conv(Conv2d conv, string x, string path)
        {
            int top = conv.PadTop, left = conv.PadLeft, bottom = conv.PadBottom, right = conv.PadRight;
            if (conv.PaddingMode != "zeros" && (top | left | bottom | right) != 0)
            {
                x = Pad(x, top, left, bottom, right, conv.PaddingMode, path);
                (top, left, bottom, right) = (0, 0, 0, 0);
            }

            return graph.Node("Conv", "conv", WeightInputs(x, path, conv.weight, conv.bias),
                OnnxGraph.Ints("kernel_shape", conv.KernelSize.H, conv.KernelSize.W),
                OnnxGraph.Ints("strides", conv.Stride.H, conv.Stride.W),
                OnnxGraph.Ints("pads", top, left, bottom, right),
                OnnxGraph.Ints("dilations", conv.Dilation.H, conv.Dilation.W),
                OnnxGraph.Int("group", conv.Groups));
        }

        private string ConvTranspose(ConvTranspose2d deconv, string x, string path)
        {
            return graph.Node("ConvTranspose", "conv_transpose", WeightInputs(x, path, deconv.weight, deconv.bias),
                OnnxGraph.Ints("kernel_shape", deconv.KernelSize.H, deconv.KernelSize.W),
                OnnxGraph.Ints("strides", deconv.Stride.H, deconv.Stride.W),
                OnnxGraph.Ints("pads", deconv.Padding.H, deconv.Padding.W, deconv.Padding.H, deconv.Padding.W),
                OnnxGraph.Ints("output_padding", deconv.OutputPadding.H, deconv.OutputPadding.W),
                OnnxGraph.Ints("dilations", deconv.Dilation.H, deconv.Dilation.W),
                OnnxGraph.Int("group", deconv.Groups));
        }

        /// <summary>A convolution's inputs: x, then its weight and (when it has one) its bias as initializers.</summary>
        private List<string> WeightInputs(string x, string path, Tensor weight, Tensor? bias)
        {
            var inputs = new List<string> { x, graph.Weight(path + ".weight", weight) };
            if (bias is not null)
            {
                inputs.Add(graph.Weight(path + ".bias", bias));
            }

            return inputs;
        }

        private string InstanceNorm(InstanceNorm2d norm, string x, string path)
        {
            if (norm.running_mean is not null)
            {
                // eval with tracked statistics normalises by them, exactly as batch norm does
                return Normalise(norm, x, path);
            }

            // ONNX's InstanceNormalization always takes a scale and a bias: affine=false is scale 1, bias 0
            string scale = norm.weight is not null ? graph.Weight(path + ".weight", norm.weight) : graph.Constant(path + ".unit_scale", Enumerable.Repeat(1f, norm.NumFeatures).ToArray());
            string bias = norm.bias is not null ? graph.Weight(path + ".bias", norm.bias) : graph.Constant(path + ".zero_bias", new float[norm.NumFeatures]);
            return graph.Node("InstanceNormalization", "instance_norm", [x, scale, bias], OnnxGraph.Float("epsilon", norm.Eps));
        }

        private string BatchNorm(BatchNorm2d norm, string x, string path)
        {
            if (norm.running_mean is null)
            {
                throw new NotSupportedException(
                    $"BatchNorm2d at '{path}' tracks no running statistics, so even in eval it normalises by each batch's; ONNX export needs them");
            }

            return Normalise(norm, x, path);
        }

        private string Normalise(NormLayer2d norm, string x, string path)
        {
            string scale = norm.weight is not null ? graph.Weight(path + ".weight", norm.weight) : graph.Constant(path + ".unit_scale", Enumerable.Repeat(1f, norm.NumFeatures).ToArray());
            string bias = norm.bias is not null ? graph.Weight(path + ".bias", norm.bias) : graph.Constant(path + ".zero_bias", new float[norm.NumFeatures]);
            string mean = graph.Weight(path + ".running_mean", norm.running_mean!);
            string variance = graph.Weight(path + ".running_var", norm.running_var!);
            return graph.Node("BatchNormalization", "batch_norm", [x, scale, bias, mean, variance], OnnxGraph.Float("epsilon", norm.Eps));
        }

        private string Pad(string x, int top, int left, int bottom, int right, string mode, string path)
        {
            string onnxMode = mode switch
            {
                "reflect" => "reflect",
                "replicate" => "edge",
                "zeros" => "constant",
                _ => throw new NotSupportedException($"padding mode '{mode}' at '{path}' has no ONNX Pad mode"),
            };
            string pads = graph.Constant(graph.Fresh("pads"), [0, 0, top, left, 0, 0, bottom, right]);
            return graph.Node("Pad", "pad", [x, pads], OnnxGraph.Text("mode", onnxMode));
        }
    }
}

using CycleGan.App.Generators;
using CycleGan.App.Config;
using CycleGan.App.Export;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using Onnx;

namespace CycleGan.Tests.Export;

/// <summary>
/// Every generator kind exported to ONNX and run by ONNX Runtime against the same network run by TorchSharp: two
/// independent implementations of the forward pass, compared within 1e-4 (max abs) at three sizes, batch 1 and 3.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cyclegan-onnx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string, string> Kinds()
    {
        var data = new TheoryData<string, string>();
        foreach (string netG in ModelConfig.Generators)
        {
            foreach (string norm in ModelConfig.Norms)
            {
                data.Add(netG, norm);
            }
        }

        return data;
    }

    private static (int H, int W)[] Sizes(string netG) => netG switch
    {
        "unet_128" => [(128, 128), (128, 256), (256, 128)],
        "unet_256" => [(256, 256), (256, 512), (512, 256)],
        _ => [(32, 48), (64, 64), (256, 256)],
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Onnx_runtime_output_equals_torchsharp_output(string netG, string norm)
    {
        // 1 channel in, 3 out: a channel mix-up cannot go unnoticed
        var model = new ModelConfig { NetG = netG, Norm = norm, Ngf = 4, NoDropout = false };
        using var net = NetworkFactory.Generator(model, 1, 3, initialise: false);
        RandomWeights.Fill(net, 11);
        net.eval();
        int multiple = netG switch { "unet_128" => 128, "unet_256" => 256, _ => 4 };
        string path = Path.Combine(dir, "g.onnx");
        File.WriteAllBytes(path, OnnxExporter.ExportBytes(net, new OnnxExportInfo { InputChannels = 1, OutputChannels = 3, SideMultiple = multiple }));
        using var onnx = OnnxGenerator.Open(path);
        Assert.Equal((1, 3, multiple), (onnx.InputChannels, onnx.OutputChannels, onnx.SideMultiple));

        using var g = new torch.Generator(5);
        foreach (var (h, w) in Sizes(netG))
        {
            foreach (int batch in new[] { 1, 3 })
            {
                using var scope = torch.NewDisposeScope();
                using var noGrad = torch.no_grad();
                Tensor x = (torch.rand([batch, 1, h, w], generator: g) * Scalars.Of(2.0)) - Scalars.Of(1.0);
                Tensor expected = net.call(x.clone());
                Tensor actual = onnx.call(x.clone());
                Assert.Equal(expected.shape, actual.shape);
                double maxAbs = (expected - actual).abs().max().item<float>();
                Assert.True(maxAbs <= 1e-4, $"{netG} {norm} batch {batch} {h}x{w}: max abs {maxAbs:0.000e0}");
                // the comparison means something only if the output varies across the tanh's range
                Assert.True(expected.std().item<float>() > 0.05, $"{netG} {norm} {h}x{w}: output std {expected.std().item<float>()}");
                Assert.True((expected.abs() < Scalars.Of(0.95)).to(ScalarType.Float32).mean().item<float>() > 0.5, $"{netG} {norm}: output saturated");
            }
        }
    }

    [Fact]
    public void Model_declares_dynamic_sizes_metadata_and_every_weight()
    {
        var model = new ModelConfig { NetG = "resnet_6blocks", Norm = "batch", Ngf = 4 };
        using var net = NetworkFactory.Generator(model, 3, 1, initialise: false);
        var info = new OnnxExportInfo
        {
            InputChannels = 3, OutputChannels = 1, SideMultiple = 4,
            Metadata = new Dictionary<string, string> { [OnnxMetadata.Direction] = "BtoA", [OnnxMetadata.Epoch] = "7" },
        };
        ModelProto proto = ModelProto.Parser.ParseFrom(OnnxExporter.ExportBytes(net, info));

        Assert.Equal(17, proto.OpsetImport.Single(o => o.Domain.Length == 0).Version);
        ValueInfoProto input = Assert.Single(proto.Graph.Input);
        ValueInfoProto output = Assert.Single(proto.Graph.Output);
        Assert.Equal(("image", "translated"), (input.Name, output.Name));
        Assert.Equal(["batch", "3", "height", "width"], input.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()));
        Assert.Equal(["batch", "1", "height", "width"], output.Type.TensorType.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString()));
        var meta = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("BtoA", meta[OnnxMetadata.Direction]);
        Assert.Equal("7", meta[OnnxMetadata.Epoch]);
        Assert.Equal("-1,1", meta[OnnxMetadata.Range]);
        Assert.Contains("[-1, 1]", proto.DocString, StringComparison.Ordinal);

        // every float of the state dict is an initializer under its state-dict name, and its values are the module's
        var initializers = proto.Graph.Initializer.ToDictionary(t => t.Name);
        foreach (var (name, t) in net.state_dict().Where(kv => kv.Value.dtype == ScalarType.Float32))
        {
            TensorProto stored = initializers[name];
            Assert.Equal(t.shape, stored.Dims.ToArray());
            var values = new float[t.numel()];
            Buffer.BlockCopy(stored.RawData.ToByteArray(), 0, values, 0, values.Length * 4);
            Assert.Equal(t.data<float>().ToArray(), values);
        }
    }

    [Fact]
    public void Unsupported_opset_is_refused()
    {
        using var net = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 1);
        var ex = Assert.Throws<ArgumentException>(() =>
            OnnxExporter.ExportBytes(net, new OnnxExportInfo { InputChannels = 3, OutputChannels = 3, SideMultiple = 4, Opset = 9 }));
        Assert.Contains("--opset 9", ex.Message, StringComparison.Ordinal);
    }
}

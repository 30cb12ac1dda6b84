using System.Text.Json;
using CycleGan.App.Generators;
using CycleGan.App.Config;
using CycleGan.App.Export;
using CycleGan.App.Inference;
using CycleGan.App.Models;
using CycleGan.Data.Imaging;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Export;

/// <summary>
/// Interop with real PyTorch, through the fixtures scripts/interop/make_fixtures.py wrote with PyTorch 1.13: the
/// reference's own generators (ResNet-9 with instance norm; U-Net-128 with batch norm, whose in-place LeakyReLU
/// rewrites the tensor its skip connection concatenates), their .pth state dicts, PyTorch's eval-mode output for a
/// small image, and PyTorch's own ONNX export of each.
/// </summary>
public sealed class PyTorchFixtureTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Export", "Fixtures");

    public static TheoryData<string> Cases() => new() { "resnet9_instance", "unet128_batch" };

    private sealed record Case(string Name, string NetG, string Norm, int Ngf, int InputNc, int OutputNc, int Height, int Width);

    private static Case Read(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "manifest.json")));
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        return new Case(name, c.GetProperty("netG").GetString()!, c.GetProperty("norm").GetString()!, c.GetProperty("ngf").GetInt32(),
            c.GetProperty("input_nc").GetInt32(), c.GetProperty("output_nc").GetInt32(), c.GetProperty("height").GetInt32(), c.GetProperty("width").GetInt32());
    }

    private static CycleGanConfig ConfigOf(Case c) => new()
    {
        Data = new DataConfig { InputNc = c.InputNc, OutputNc = c.OutputNc },
        Model = new ModelConfig { NetG = c.NetG, Norm = c.Norm, Ngf = c.Ngf },
        Train = new TrainConfig { LambdaIdentity = 0 },
    };

    /// <summary>The fixture's input image through our own decoding and normalisation, as a [1, C, H, W] batch.</summary>
    private static Tensor Input(Case c)
    {
        using Image<Rgb24> image = ImageDecoder.LoadRgb(Path.Combine(Fixtures, $"{c.Name}_input.png"));
        var data = new float[c.InputNc * c.Height * c.Width];
        PixelConversion.ToNormalizedChw(image, c.InputNc, data);
        return torch.tensor(data, [1, c.InputNc, c.Height, c.Width]);
    }

    private static Tensor PyTorchOutput(Case c)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(Fixtures, $"{c.Name}_output.f32"));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return torch.tensor(values, [1, c.OutputNc, c.Height, c.Width]);
    }

    /// <summary>Largest difference, in 8-bit levels, between two PNGs (gray compared as RGB).</summary>
    private static int MaxLevelDifference(string a, string b)
    {
        using Image<Rgb24> x = ImageDecoder.LoadRgb(a), y = ImageDecoder.LoadRgb(b);
        Assert.Equal((x.Width, x.Height), (y.Width, y.Height));
        int worst = 0;
        for (int r = 0; r < x.Height; r++)
        {
            for (int col = 0; col < x.Width; col++)
            {
                Rgb24 p = x[col, r], q = y[col, r];
                worst = Math.Max(worst, Math.Max(Math.Abs(p.R - q.R), Math.Max(Math.Abs(p.G - q.G), Math.Abs(p.B - q.B))));
            }
        }

        return worst;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PyTorch_written_pth_gives_pytorch_output(string name)
    {
        using var scope = torch.NewDisposeScope();
        Case c = Read(name);
        using TrainedGenerators model = GeneratorSource.FromWeights(Path.Combine(Fixtures, $"{name}.pth"), ConfigOf(c), Direction.AtoB, torch.CPU);
        Tensor expected = PyTorchOutput(c);
        Assert.True(expected.std().item<float>() > 0.05, "the fixture's output barely varies");
        using (torch.no_grad())
        {
            Tensor actual = model[Direction.AtoB].Network.call(Input(c));
            double maxAbs = (actual - expected).abs().max().item<float>();
            Assert.True(maxAbs <= 1e-4, $"{name}: max abs {maxAbs:0.000e0} against PyTorch's output");
        }

        // as images: translate's PNG and the one the reference's tensor2im makes differ by at most one level, because
        // tensor2im truncates (x + 1) / 2 * 255 to uint8 where we round to the nearest level
        using var dir = new TempDirectory();
        var translator = new Translator(model[Direction.AtoB], torch.CPU, new TranslateOptions { OutputFolder = dir.Path });
        var outcome = Assert.Single(translator.Run([Path.Combine(Fixtures, $"{name}_input.png")]));
        Assert.Null(outcome.Error);
        Assert.True(MaxLevelDifference(outcome.Output!, Path.Combine(Fixtures, $"{name}_output.png")) <= 1);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PyTorch_onnx_export_runs_in_our_onnx_engine(string name)
    {
        using var scope = torch.NewDisposeScope();
        Case c = Read(name);
        using TrainedGenerators model = GeneratorSource.FromOnnx(Path.Combine(Fixtures, $"{name}.onnx"), Direction.AtoB);
        // no metadata of ours: channels from the model's input and output, the side multiple from its strides
        GeneratorIdentity identity = model[Direction.AtoB].Identity;
        Assert.Equal((c.InputNc, c.OutputNc), (identity.InputChannels, identity.OutputChannels));
        Assert.Equal(c.NetG == "unet_128" ? 128 : 4, identity.SideMultiple);
        Tensor actual = model[Direction.AtoB].Network.call(Input(c));
        double maxAbs = (actual - PyTorchOutput(c)).abs().max().item<float>();
        Assert.True(maxAbs <= 1e-4, $"{name}: max abs {maxAbs:0.000e0} against PyTorch's output");
    }

    [Fact]
    public void Translate_with_the_onnx_engine_writes_pytorchs_image()
    {
        using var dir = new TempDirectory();
        string input = dir.Combine("photo.png");
        File.Copy(Path.Combine(Fixtures, "resnet9_instance_input.png"), input);
        var result = CliRunner.Run(dir.Path, "translate", input, "--engine", "onnx", "--model", Path.Combine(Fixtures, "resnet9_instance.onnx"),
            "--output", dir.Combine("out"));
        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(MaxLevelDifference(dir.Combine("out", "photo_fake_B.png"), Path.Combine(Fixtures, "resnet9_instance_output.png")) <= 1);
    }

    /// <summary>
    /// scripts/interop/check_ours.sh exported two tiny runs with `cyclegan export --format pth` and had PyTorch load
    /// each file into the reference architecture, strictly; its result is committed. The key lists PyTorch reported
    /// must still be the keys our networks have, or that result no longer speaks for this code.
    /// </summary>
    [Theory]
    [InlineData("resnet9_instance")]
    [InlineData("unet128_batch")]
    public void Our_exported_pth_loads_into_the_pytorch_reference(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, $"ours_check_{name}.json")));
        JsonElement root = doc.RootElement;
        Assert.True(root.GetProperty("ok").GetBoolean());
        CycleGanConfig config = ConfigOfCheck(root);
        foreach (var (net, module, _) in NetworkFactory.CycleGan(config, initialise: false))
        {
            using (module)
            {
                JsonElement check = root.GetProperty("pth").GetProperty(net);
                Assert.True(check.GetProperty("loads_strict").GetBoolean(), net);
                Assert.Empty(check.GetProperty("missing").EnumerateArray());
                Assert.Empty(check.GetProperty("unexpected").EnumerateArray());
                // (as sets: TorchSharp lists a module's buffers after its children's parameters, PyTorch beside its own)
                var referenceKeys = check.GetProperty("reference_keys").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal);
                Assert.Equal(referenceKeys, module.state_dict().Keys.Order(StringComparer.Ordinal));
            }
        }

    }

    /// <summary>
    /// The same script ran onnx.checker on the ONNX files `cyclegan export --format onnx` wrote for those runs, and
    /// recorded each graph as onnx reads it (nodes in order with their inputs, outputs and attributes; initializers'
    /// names, types and shapes). The graph our exporter makes today for the same networks must be that graph, or
    /// the checker's "ok" no longer speaks for this code.
    /// </summary>
    [Theory]
    [InlineData("resnet9_instance")]
    [InlineData("unet128_batch")]
    public void Our_onnx_graph_is_the_graph_onnx_checked(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, $"ours_check_{name}.json")));
        JsonElement root = doc.RootElement;
        CycleGanConfig config = ConfigOfCheck(root);
        foreach (var (g, input, output) in new[] { ("G_A", config.Data.InputNc, config.Data.OutputNc), ("G_B", config.Data.OutputNc, config.Data.InputNc) })
        {
            JsonElement check = root.GetProperty("onnx").GetProperty(g);
            Assert.Equal("ok", check.GetProperty("checker").GetString());
            JsonElement graph = check.GetProperty("graph");
            using var net = NetworkFactory.Generator(config.Model, input, output, initialise: false);
            var info = new OnnxExportInfo { InputChannels = input, OutputChannels = output, SideMultiple = NetworkFactory.SideMultiple(config.Model.NetG) };
            Onnx.GraphProto ours = Onnx.ModelProto.Parser.ParseFrom(OnnxExporter.ExportBytes(net, info)).Graph;

            string[] expectedNodes = graph.GetProperty("nodes").EnumerateArray().Select(OnnxStructure.Describe).ToArray();
            string[] ourNodes = ours.Node.Select(OnnxStructure.Describe).ToArray();
            Assert.Equal(expectedNodes.Length, ourNodes.Length);
            for (int i = 0; i < ourNodes.Length; i++)
            {
                Assert.Equal($"{g} node {i}: {expectedNodes[i]}", $"{g} node {i}: {ourNodes[i]}");
            }

            var expectedWeights = graph.GetProperty("initializers").EnumerateObject()
                .Select(p => $"{p.Name} {p.Value.GetProperty("data_type").GetInt32()} [{string.Join(',', p.Value.GetProperty("dims").EnumerateArray().Select(d => d.GetInt64()))}]");
            Assert.Equal(expectedWeights.Order(StringComparer.Ordinal), ours.Initializer.Select(t => $"{t.Name} {t.DataType} [{string.Join(',', t.Dims)}]").Order(StringComparer.Ordinal));
            Assert.Equal(graph.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()), ours.Output.Select(o => o.Name));
        }
    }

    /// <summary>The networks' config as the interop check recorded it.</summary>
    private static CycleGanConfig ConfigOfCheck(JsonElement root)
    {
        JsonElement cfg = root.GetProperty("config");
        return new CycleGanConfig
        {
            Data = new DataConfig { InputNc = cfg.GetProperty("input_nc").GetInt32(), OutputNc = cfg.GetProperty("output_nc").GetInt32() },
            Model = new ModelConfig
            {
                NetG = cfg.GetProperty("netG").GetString()!, Norm = cfg.GetProperty("norm").GetString()!, Ngf = cfg.GetProperty("ngf").GetInt32(),
                NetD = cfg.GetProperty("netD").GetString()!, Ndf = cfg.GetProperty("ndf").GetInt32(), NLayersD = cfg.GetProperty("n_layers_D").GetInt32(),
            },
            Train = new TrainConfig { LambdaIdentity = 0 },
        };
    }
}

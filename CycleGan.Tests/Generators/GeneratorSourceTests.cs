using System.Collections;
using CycleGan.App.Cli;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Inference;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using CycleGan.App.Runs;
using CycleGan.App.Training;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;
using Google.Protobuf;
using Onnx;
using TorchSharp.PyBridge;

namespace CycleGan.Tests.Generators;

/// <summary>
/// The generator source refuses, by name, every way a model could run silently wrong: tensors of another shape or
/// element type, an architecture of another width, NaN or infinite values (in .pth files, checkpoints and ONNX files),
/// and an ONNX file asked to translate the other way. Each refusal is paired with the same file made right loading, so
/// no test passes because loading failed for another reason.
/// </summary>
public sealed class GeneratorSourceTests : IDisposable
{
    private readonly TinyRun tiny = new();
    private readonly CycleGanConfig config;

    public GeneratorSourceTests() => config = ConfigLoader.Load(tiny.ConfigPath);

    public void Dispose() => tiny.Dispose();

    [Fact]
    public void WeightsThatFitLoadAndComputeWhatTheirNetworkComputes()
    {
        using var scope = NewDisposeScope();
        using var net = NetworkFactory.Generator(config.Model, 3, 3);
        string path = WritePth("good.pth", StateDict(net));
        using var loaded = GeneratorSource.FromWeights(path, config, Direction.BtoA, CPU);
        Tensor x = torch.rand(1, 3, 16, 16);
        net.eval();
        using var noGrad = no_grad();
        Assert.True(torch.equal(net.call(x), loaded[Direction.BtoA].Network.call(x)).all().item<bool>());
        Assert.Equal(Direction.BtoA, loaded[Direction.BtoA].Identity.Direction);
        Assert.Throws<ArgumentException>(() => loaded[Direction.AtoB]);
    }

    [Fact]
    public void ATensorOfAnotherShapeIsRefusedWithItsNameAndBothShapes()
    {
        using var scope = NewDisposeScope();
        var ex = RefusalOfChanged("bad.pth", dict => dict["model.1.weight"] = torch.zeros(2, 2));
        Assert.Contains("model.1.weight: stored [2, 2], network [4, 3, 7, 7]", ex.Message);
    }

    [Fact]
    public void WeightsOfANarrowerGeneratorAreRefused()
    {
        using var scope = NewDisposeScope();
        using var narrow = NetworkFactory.Generator(config.Model with { Ngf = 2 }, 3, 3);
        var ex = Assert.Throws<InvalidDataException>(() =>
            GeneratorSource.FromWeights(WritePth("narrow.pth", StateDict(narrow)), config, Direction.AtoB, CPU));
        Assert.Contains("model.1.weight: stored [2, 3, 7, 7], network [4, 3, 7, 7]", ex.Message);
        Assert.Contains("Pass --config", ex.Message);
    }

    [Fact]
    public void WeightsOfAnotherElementTypeAreRefused()
    {
        using var scope = NewDisposeScope();
        var ex = RefusalOfChanged("f64.pth", dict => dict["model.1.bias"] = ((Tensor)dict["model.1.bias"]!).to(ScalarType.Float64));
        Assert.Contains("model.1.bias: stored Float64, network Float32", ex.Message);
    }

    [Fact]
    public void NaNWeightsAreRefusedByName()
    {
        using var scope = NewDisposeScope();
        var ex = RefusalOfChanged("nan.pth", dict =>
        {
            Tensor w = ((Tensor)dict["model.4.weight"]!).clone();
            w[0, 0, 0, 0] = torch.tensor(float.NaN);
            w[1, 0, 0, 0] = torch.tensor(float.PositiveInfinity);
            dict["model.4.weight"] = w;
        });
        Assert.Contains("model.4.weight (1 NaN, 1 infinite of", ex.Message);
    }

    [Fact]
    public void TranslateRefusesWeightsOfTheWrongShapesAndWritesNothing()
    {
        using var dir = new TempDirectory();
        using (var scope = NewDisposeScope())
        {
            using var narrow = NetworkFactory.Generator(config.Model with { Ngf = 2 }, 3, 3);
            PyTorchPickler.PickleStateDict(dir.Combine("narrow.pth"), StateDict(narrow));
        }

        string input = TestImages.WritePng(dir.Combine("p.png"), TestImages.Coordinates(16, 16));
        var result = CliRunner.Run(dir.Path, "translate", input, "--weights", dir.Combine("narrow.pth"), "--config", tiny.ConfigPath,
            "--output", dir.Combine("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not fit", result.Stderr);
        Assert.False(Directory.Exists(dir.Combine("out")) && Directory.EnumerateFileSystemEntries(dir.Combine("out")).Any());
    }

    [Fact]
    public void ACheckpointWithAnInfiniteWeightIsRefusedNamingTheNetwork()
    {
        string good = WriteCheckpoint("good.ckpt", poison: false);
        using (var loaded = GeneratorSource.FromCheckpoint(good, CPU))
        {
            Assert.Equal([Direction.AtoB, Direction.BtoA], loaded.Directions.Order());
        }

        string bad = WriteCheckpoint("bad.ckpt", poison: true);
        var ex = Assert.Throws<InvalidDataException>(() => GeneratorSource.FromCheckpoint(bad, CPU));
        Assert.Contains("network G_B", ex.Message);
        Assert.Contains("model.1.weight (0 NaN, 1 infinite of", ex.Message);
    }

    [Fact]
    public void AnOnnxFileIsTheDirectionItRecordsAndAContradictionIsRefused()
    {
        string onnx = ExportOnnx("G_A.onnx", poison: false);
        using (var own = GeneratorSource.FromOnnx(onnx, null))
        {
            Assert.Equal(Direction.AtoB, Assert.Single(own.Directions));
        }

        using (var same = GeneratorSource.FromOnnx(onnx, Direction.AtoB))
        {
            Assert.Equal("G_A", same[Direction.AtoB].Identity.Name);
        }

        var ex = Assert.Throws<ArgumentException>(() => GeneratorSource.FromOnnx(onnx, Direction.BtoA));
        Assert.Contains("is the AtoB generator", ex.Message);

        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("p.png"), TestImages.Coordinates(16, 16));
        Assert.Equal(2, CliApp.Run(["translate", input, "--engine", "onnx", "--model", onnx, "--direction", "BtoA", "--output", dir.Combine("refused")]));
        Assert.False(Directory.Exists(dir.Combine("refused")));
        Assert.Equal(0, CliApp.Run(["translate", input, "--engine", "onnx", "--model", onnx, "--output", dir.Combine("own")]));
        Assert.True(File.Exists(dir.Combine("own", "p_fake_B.png")));
    }

    [Fact]
    public void AnOnnxFileWithANaNWeightIsRefused()
    {
        string onnx = ExportOnnx("nan.onnx", poison: true);
        var ex = Assert.Throws<InvalidDataException>(() => GeneratorSource.FromOnnx(onnx, null));
        Assert.Contains("(1 NaN, 0 infinite of", ex.Message);
    }

    [Fact]
    public void AnOutputThatIsNotFiniteFailsItsImageInsteadOfWritingABlackPicture()
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("p.png"), TestImages.Coordinates(16, 16));
        var identity = new GeneratorIdentity(Direction.AtoB, 3, 3, 4, "a generator whose output is NaN");
        using var nan = new LoadedGenerator(identity, new NaNGenerator());
        var outcome = Assert.Single(new Translator(nan, CPU, new TranslateOptions { OutputFolder = dir.Combine("out") }).Run([input]));
        Assert.Null(outcome.Output);
        Assert.Contains("not finite", outcome.Error);
        Assert.Empty(Directory.GetFiles(dir.Combine("out")));

        using var same = new LoadedGenerator(identity with { Architecture = "identity" }, new Identity());
        Assert.NotNull(Assert.Single(new Translator(same, CPU, new TranslateOptions { OutputFolder = dir.Combine("out") }).Run([input])).Output);
    }

    /// <summary>What loading the default generator's weights says after <paramref name="change"/> has edited them.</summary>
    private InvalidDataException RefusalOfChanged(string file, Action<Hashtable> change)
    {
        using var net = NetworkFactory.Generator(config.Model, 3, 3);
        var dict = StateDict(net);
        change(dict);
        return Assert.Throws<InvalidDataException>(() => GeneratorSource.FromWeights(WritePth(file, dict), config, Direction.AtoB, CPU));
    }

    private static Hashtable StateDict(nn.Module net)
    {
        var table = new Hashtable();
        foreach (var (name, tensor) in net.state_dict())
        {
            table[name] = tensor.detach().clone();
        }

        return table;
    }

    private string WritePth(string name, Hashtable dict)
    {
        string path = Path.Combine(tiny.Folder, name);
        PyTorchPickler.PickleStateDict(path, dict);
        return path;
    }

    private string WriteCheckpoint(string name, bool poison)
    {
        string path = Path.Combine(tiny.Folder, name);
        using var model = new CycleGanModel(config, CPU, new SeededRandom(1));
        if (poison)
        {
            var gb = model.Networks.Single(n => n.Name == "G_B").Net;
            using var noGrad = no_grad();
            gb.state_dict()["model.1.weight"][0, 0, 0, 0] = torch.tensor(float.PositiveInfinity);
        }

        TrainingCheckpoint.Save(path, config, new TrainingState(), model);
        return path;
    }

    private string ExportOnnx(string name, bool poison)
    {
        string checkpoint = WriteCheckpoint($"{name}.ckpt", poison: false);
        string folder = Path.Combine(tiny.Folder, $"{name}.export");
        Assert.Equal(0, CliApp.Run(["export", "--checkpoint", checkpoint, "--format", "onnx", "--direction", "AtoB", "--output", folder]));
        string path = Path.Combine(folder, "G_A.onnx");
        if (poison)
        {
            ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            TensorProto weight = model.Graph.Initializer.First(t => t.DataType == (int)TensorProto.Types.DataType.Float && t.RawData.Length >= 4);
            byte[] raw = weight.RawData.ToByteArray();
            BitConverter.GetBytes(float.NaN).CopyTo(raw, 0);
            weight.RawData = ByteString.CopyFrom(raw);
            File.WriteAllBytes(path, model.ToByteArray());
        }

        return path;
    }

    private sealed class NaNGenerator() : nn.Module<Tensor, Tensor>(nameof(NaNGenerator))
    {
        public override Tensor forward(Tensor input) => input.mul(Scalars.Of(double.NaN));
    }
}

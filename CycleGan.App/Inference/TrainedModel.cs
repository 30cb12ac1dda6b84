using CycleGan.App.Config;
using CycleGan.App.Models;
using CycleGan.App.Training;
using CycleGan.App.Training.Checkpoints;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CycleGan.App.Inference;

/// <summary>
/// Trained generators ready for inference (eval mode, on the chosen device), from a run's checkpoint, a checkpoint
/// file, or a PyTorch reference generator's .pth weights.
/// </summary>
public sealed class TrainedModel : IDisposable
{
    // internal: the memory guard's tests wrap a stand-in generator
    internal TrainedModel(CycleGanConfig config, string source, int? epoch, string? runFolder,
        nn.Module<Tensor, Tensor>? ga, nn.Module<Tensor, Tensor>? gb)
    {
        Config = config;
        Source = source;
        Epoch = epoch;
        RunFolder = runFolder;
        GA = ga;
        GB = gb;
    }

    public CycleGanConfig Config { get; }

    /// <summary>Where the weights came from, for messages.</summary>
    public string Source { get; }

    /// <summary>Epochs completed when the checkpoint was written (null for .pth weights).</summary>
    public int? Epoch { get; }

    /// <summary>The run folder the checkpoint belongs to, if any.</summary>
    public string? RunFolder { get; }

    /// <summary>A to B (null when only the other direction was loaded).</summary>
    public nn.Module<Tensor, Tensor>? GA { get; }

    /// <summary>B to A.</summary>
    public nn.Module<Tensor, Tensor>? GB { get; }

    public nn.Module<Tensor, Tensor> Generator(string direction) =>
        (direction == "AtoB" ? GA : GB) ?? throw new ArgumentException(
            $"{Source} holds no generator for {direction} (a .pth file holds one generator: pass --direction to say which it is)");

    /// <summary>Channels a generator of <paramref name="direction"/> reads and writes.</summary>
    public (int In, int Out) Channels(string direction) =>
        Onnx is { } onnx ? (onnx.InputChannels, onnx.OutputChannels)
        : direction == "AtoB" ? (Config.Data.InputNc, Config.Data.OutputNc) : (Config.Data.OutputNc, Config.Data.InputNc);

    /// <summary>Input sides must be multiples of this (ResNet: two stride-2 convolutions; U-Net: one per level).</summary>
    public int SideMultiple => Onnx?.SideMultiple ?? MultipleFor(Config.Model.NetG);

    /// <summary>The side multiple a generator architecture needs.</summary>
    public static int MultipleFor(string netG) => netG switch
    {
        "unet_128" => 128,
        "unet_256" => 256,
        _ => 4,
    };

    /// <summary>The ONNX model when this one runs on ONNX Runtime (translate --engine onnx).</summary>
    public OnnxGenerator? Onnx => (GA ?? GB) as OnnxGenerator;

    /// <summary>
    /// An exported ONNX generator run by ONNX Runtime, used for <paramref name="direction"/>; its channels and side
    /// multiple come from the model itself, its config (for messages) from its metadata where it has one.
    /// </summary>
    public static TrainedModel FromOnnx(string path, string direction)
    {
        var net = OnnxGenerator.Open(path);
        CycleGanConfig config;
        try
        {
            config = net.Metadata.TryGetValue(OnnxMetadata.Config, out string? json)
                ? ConfigLoader.Parse(json, $"{path} metadata")
                : new CycleGanConfig();
        }
        catch (ConfigException)
        {
            config = new CycleGanConfig(); // the metadata is informative only; the model itself says what it takes
        }

        int? epoch = net.Metadata.TryGetValue(OnnxMetadata.Epoch, out string? e) && int.TryParse(e, System.Globalization.CultureInfo.InvariantCulture, out int n) ? n : null;
        bool aToB = direction == "AtoB";
        return new TrainedModel(config, path, epoch, null, aToB ? net : null, aToB ? null : net);
    }

    /// <summary>The newest run under <paramref name="runsDir"/> (by its latest checkpoint's time).</summary>
    public static string NewestRun(string runsDir)
    {
        var runs = Directory.Exists(runsDir)
            ? Directory.EnumerateDirectories(runsDir)
                .Select(d => new RunDirectory(d))
                .Where(r => File.Exists(r.Latest))
                .OrderByDescending(r => File.GetLastWriteTimeUtc(r.Latest))
                .ToList()
            : [];
        return runs.Count > 0
            ? runs[0].Root
            : throw new DirectoryNotFoundException(
                $"no trained run in {Path.GetFullPath(runsDir)} (no runs/NAME/checkpoints/latest.ckpt); train one first " +
                "(cyclegan train --config quickstart), or pass --run, --checkpoint or --weights");
    }

    public static TrainedModel FromRun(string runFolder, int? epoch, Device device)
    {
        var run = new RunDirectory(runFolder);
        return FromCheckpoint(run.CheckpointToResume(epoch), device, run.Root);
    }

    public static TrainedModel FromCheckpoint(string path, Device device, string? runFolder = null)
    {
        CheckpointFile file = Checkpoint.Read(path);
        CycleGanConfig config = file.Config;
        var ga = Load(file, "G_A", config.Data.InputNc, config.Data.OutputNc, device);
        var gb = Load(file, "G_B", config.Data.OutputNc, config.Data.InputNc, device);
        return new TrainedModel(config, path, file.State.Epoch - 1, runFolder, ga, gb);
    }

    /// <summary>
    /// One generator saved by the PyTorch reference (latest_net_G_A.pth, ...), built as <paramref name="model"/>
    /// describes (by default the reference's ResNet-9 generator) and used for <paramref name="direction"/>.
    /// </summary>
    public static TrainedModel FromWeights(string path, CycleGanConfig config, string direction, Device device)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"weights file {path} does not exist", path);
        }

        bool aToB = direction == "AtoB";
        int input = aToB ? config.Data.InputNc : config.Data.OutputNc, output = aToB ? config.Data.OutputNc : config.Data.InputNc;
        var net = NetworkFactory.Generator(config.Model, input, output, initialise: false);
        try
        {
            net.load_py(path, strict: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            net.Dispose();
            throw new InvalidDataException(
                $"weights file {path} does not load into a {config.Model.NetG} generator (ngf {config.Model.Ngf}, norm {config.Model.Norm}, " +
                $"{input}->{output} channels): {ex.Message}. Pass --config with the model settings it was trained with.");
        }

        net = net.to(device);
        net.eval();
        return new TrainedModel(config, path, null, null, aToB ? net : null, aToB ? null : net);
    }

    private static nn.Module<Tensor, Tensor> Load(CheckpointFile file, string name, int input, int output, Device device)
    {
        var net = NetworkFactory.Generator(file.Config.Model, input, output, initialise: false);
        Checkpoint.LoadNetwork(file, name, net);
        net = net.to(device);
        net.eval();
        return net;
    }

    public void Dispose()
    {
        GA?.Dispose();
        GB?.Dispose();
    }
}

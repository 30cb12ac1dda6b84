using System.Collections;
using System.Globalization;
using CycleGan.App.Config;
using CycleGan.App.Models;
using CycleGan.App.Runs;
using TorchSharp.PyBridge;

namespace CycleGan.App.Generators;

/// <summary>
/// The one way to get a trained generator: from a run (its latest, epoch N's or best checkpoint), a checkpoint file,
/// a generator's .pth or .safetensors weights with the config that built it, or an exported ONNX model. Every
/// tensor is checked before anything runs: its name, shape and element type against the network, and its values
/// for NaN and infinity; an ONNX model's recorded direction against the one asked for. translate, test, evaluate,
/// export and training-time scoring take generators only from here.
/// </summary>
public static class GeneratorSource
{
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

    /// <summary>Both generators of a run's checkpoint: the latest, epoch N's, or "best".</summary>
    public static TrainedGenerators FromRun(string runFolder, string? epoch, Device device)
    {
        var run = new RunDirectory(runFolder);
        return FromCheckpoint(run.CheckpointForEpochOption(epoch), device, run.Root);
    }

    /// <summary>Both generators of a checkpoint file.</summary>
    public static TrainedGenerators FromCheckpoint(string path, Device device, string? runFolder = null)
    {
        RequireFile(path, "checkpoint");
        CheckpointFile file = Checkpoint.Read(path);
        var loaded = new Dictionary<Direction, LoadedGenerator>();
        try
        {
            foreach (Direction direction in Enum.GetValues<Direction>())
            {
                var identity = GeneratorIdentity.For(file.Config, direction);
                var net = NetworkFactory.Generator(file.Config.Model, identity.InputChannels, identity.OutputChannels, initialise: false);
                try
                {
                    LoadNetwork(file, identity.Name, net);
                }
                catch
                {
                    net.Dispose();
                    throw;
                }

                loaded[direction] = Ready(identity, net, device);
            }
        }
        catch
        {
            foreach (var g in loaded.Values)
            {
                g.Dispose();
            }

            throw;
        }

        return new TrainedGenerators(file.Config, new GeneratorOrigin(path, file.State.Epoch - 1, runFolder), loaded);
    }

    /// <summary>Loads network <paramref name="name"/> (G_A, G_B, D_A, D_B) of a checkpoint into <paramref name="net"/>,
    /// refusing names, shapes and types that do not fit and values that are not finite.</summary>
    public static void LoadNetwork(CheckpointFile file, string name, nn.Module net)
    {
        ArgumentNullException.ThrowIfNull(file);
        Checkpoint.LoadNetwork(file, name, net);
        RefuseNonFinite(StateDictCheck.NonFinite(net.state_dict().Select(kv => (kv.Key, kv.Value))), $"checkpoint {file.Path} (network {name})");
    }

    /// <summary>
    /// One generator's weights as the PyTorch reference saves them (latest_net_G_A.pth) or as safetensors, built as
    /// <paramref name="config"/>'s model and data sections describe (by default the reference's ResNet-9 generator).
    /// </summary>
    public static TrainedGenerators FromWeights(string path, CycleGanConfig config, Direction direction, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        RequireFile(path, "weights");
        var identity = GeneratorIdentity.For(config, direction);
        var net = NetworkFactory.Generator(config.Model, identity.InputChannels, identity.OutputChannels, initialise: false);
        try
        {
            LoadWeightsFile(path, net,
                $"a {identity.Architecture} generator with {identity.InputChannels}->{identity.OutputChannels} channels",
                "Pass --config with the model settings it was trained with.");
        }
        catch
        {
            net.Dispose();
            throw;
        }

        var generators = new Dictionary<Direction, LoadedGenerator> { [direction] = Ready(identity, net, device) };
        return new TrainedGenerators(config, new GeneratorOrigin(path, null, null), generators);
    }

    /// <summary>
    /// Copies a .pth or .safetensors state dict into <paramref name="net"/> (<paramref name="what"/>, for messages) once
    /// every tensor's name, shape, element type and values are checked; nothing is copied otherwise.
    /// </summary>
    public static void LoadWeightsFile(string path, nn.Module net, string what, string hint = "")
    {
        ArgumentNullException.ThrowIfNull(net);
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> stored = ReadStateDict(path);
        var differences = StateDictCheck.Differences(net, stored.Select(kv => (kv.Key, kv.Value.dtype, kv.Value.shape)));
        if (differences.Count > 0)
        {
            throw new InvalidDataException(
                $"weights file {path} does not fit {what} ({differences.Count} differences): {StateDictCheck.List(differences)}. {hint}".TrimEnd());
        }

        RefuseNonFinite(StateDictCheck.NonFinite(stored.Select(kv => (kv.Key, kv.Value))), $"weights file {path}");
        using var noGrad = no_grad();
        foreach (var (name, tensor) in net.state_dict())
        {
            tensor.copy_(stored[name]);
        }
    }

    /// <summary>
    /// An exported ONNX generator run by ONNX Runtime. Its channels and side multiple come from the model itself; its
    /// direction from its metadata (cyclegan.direction) where it has one: a contradicting <paramref name="asked"/> is
    /// refused. A model without that metadata (PyTorch's own export) is taken for <paramref name="asked"/>, or AtoB.
    /// </summary>
    public static TrainedGenerators FromOnnx(string path, Direction? asked)
    {
        RequireFile(path, "ONNX model");
        var net = OnnxGenerator.Open(path);
        try
        {
            Direction direction = asked ?? Direction.AtoB;
            if (net.Metadata.TryGetValue(OnnxMetadata.Direction, out string? recorded))
            {
                Direction own = Directions.TryParse(recorded)
                                ?? throw new InvalidDataException($"ONNX model {path} records direction '{recorded}', which is neither AtoB nor BtoA");
                if (asked is { } a && a != own)
                {
                    throw new ArgumentException(
                        $"ONNX model {path} is the {own} generator ({own.Generator()}, its metadata says so), but --direction {a} asks for {a.Generator()}: " +
                        $"use the {a.Generator()} file, or leave --direction out to translate {own}");
                }

                direction = own;
            }

            RefuseNonFinite(net.NonFiniteInitializers(), $"ONNX model {path}");
            CycleGanConfig config = ConfigOf(net);
            int? epoch = net.Metadata.TryGetValue(OnnxMetadata.Epoch, out string? e) && int.TryParse(e, CultureInfo.InvariantCulture, out int n) ? n : null;
            string architecture = net.Metadata.TryGetValue(OnnxMetadata.Generator, out string? g) ? $"{g} on ONNX Runtime" : "an ONNX model on ONNX Runtime";
            var identity = new GeneratorIdentity(direction, net.InputChannels, net.OutputChannels, net.SideMultiple, architecture);
            var generators = new Dictionary<Direction, LoadedGenerator> { [direction] = new(identity, net) };
            return new TrainedGenerators(config, new GeneratorOrigin(path, epoch, null), generators);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>Throws naming the tensors with NaN or infinite values (<see cref="StateDictCheck.NonFinite"/>'s list).</summary>
    public static void RefuseNonFinite(IReadOnlyList<string> problems, string what)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{what} holds values that are not finite, so every output would be too: {StateDictCheck.List(problems)}");
        }
    }

    /// <summary>A file the user named: a folder or a missing path is refused in words that say which.</summary>
    public static void RequireFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{what} {path} is a folder; give the file itself");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{what} file {path} does not exist", path);
        }
    }

    private static LoadedGenerator Ready(GeneratorIdentity identity, nn.Module<Tensor, Tensor> net, Device device)
    {
        net = net.to(device);
        net.eval();
        return new LoadedGenerator(identity, net);
    }

    /// <summary>A .pth (torch.save of a state dict) or .safetensors file's tensors, on the CPU in the caller's scope.</summary>
    private static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                return Safetensors.LoadStateDict(path);
            }

            Hashtable table = PyTorchUnpickler.UnpickleStateDict(path);
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in table)
            {
                if (entry is { Key: string name, Value: Tensor t })
                {
                    result[name] = t;
                }
            }

            return result;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not InvalidDataException)
        {
            throw new InvalidDataException($"weights file {path} is not a PyTorch state dict (torch.save(net.state_dict())) or safetensors file: {ex.Message}", ex);
        }
    }

    /// <summary>The config an ONNX model records (informative only: the model itself says what it takes).</summary>
    private static CycleGanConfig ConfigOf(OnnxGenerator net)
    {
        try
        {
            return net.Metadata.TryGetValue(OnnxMetadata.Config, out string? json)
                ? ConfigLoader.Parse(json, $"{net.Path} metadata")
                : new CycleGanConfig();
        }
        catch (ConfigException)
        {
            return new CycleGanConfig();
        }
    }
}

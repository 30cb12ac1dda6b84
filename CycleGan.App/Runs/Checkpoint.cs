using System.Text;
using CycleGan.App.Config;

namespace CycleGan.App.Runs;

/// <summary>
/// A whole training run at one iteration: the four networks, both optimizers (Adam's moments and step counts), the
/// image pools, libtorch's random state, the <see cref="TrainingState"/> (epoch, iteration, data position, the pools'
/// generator, the plateau policy) and the config it was made with, in one <see cref="SectionFile"/>.
/// </summary>
public static class Checkpoint
{
    public const string ConfigSection = "config", StateSection = "state", TorchRandom = "torch_rng";

    /// <summary>Reads and verifies a checkpoint file without touching any model.</summary>
    public static CheckpointFile Read(string path)
    {
        var sections = SectionFile.Read(path);
        string Need(string name) => sections.ContainsKey(name)
            ? name
            : throw new InvalidDataException($"checkpoint {path} is unusable: it has no '{name}' section");
        CycleGanConfig config;
        try
        {
            config = ConfigLoader.Parse(Encoding.UTF8.GetString(sections[Need(ConfigSection)]), $"the config stored in {path}");
        }
        catch (ConfigException ex)
        {
            throw new InvalidDataException($"checkpoint {path} is unusable: its stored config does not load: {ex.Message}");
        }

        TrainingState state = TrainingState.FromJson(Encoding.UTF8.GetString(sections[Need(StateSection)]), $"checkpoint {path}");
        foreach (string required in new[] { "net/G_A", "net/G_B", "net/D_A", "net/D_B", "optimizer/G", "optimizer/D", "pool/A", "pool/B", TorchRandom })
        {
            Need(required);
        }

        return new CheckpointFile(path, config, state, sections);
    }

    /// <summary>The stored tensors of network <paramref name="name"/> (G_A, G_B, D_A or D_B).</summary>
    public static IReadOnlyList<StoredTensor> Network(CheckpointFile file, string name) =>
        TensorArchive.Read(file.Sections[$"net/{name}"], $"{file.Path} network {name}");

    /// <summary>Loads network <paramref name="name"/> of the checkpoint into <paramref name="net"/>, which must match it.</summary>
    public static void LoadNetwork(CheckpointFile file, string name, nn.Module net) =>
        TensorArchive.LoadInto(net, Network(file, name), $"network {name} of {file.Path}");
}

/// <summary>A verified checkpoint file's contents.</summary>
public sealed record CheckpointFile(string Path, CycleGanConfig Config, TrainingState State, IReadOnlyDictionary<string, byte[]> Sections);

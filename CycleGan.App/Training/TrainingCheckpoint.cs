using System.Text;
using CycleGan.App.Config;
using CycleGan.App.Runs;

namespace CycleGan.App.Training;

/// <summary>
/// The training side of a <see cref="Checkpoint"/>: what a <see cref="CycleGanModel"/> writes into one (networks,
/// optimizers, pools, libtorch's random state) and how it is put back. Reading a checkpoint's networks alone is the
/// run layer's (<see cref="Checkpoint.Read"/>), so inference and export need nothing from training.
/// </summary>
public static class TrainingCheckpoint
{
    public static void Save(string path, CycleGanConfig config, TrainingState state, CycleGanModel model) =>
        SectionFile.Write(path, Sections(config, state, model));

    /// <summary>The checkpoint's contents, serialised (to write one checkpoint to several files).</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Sections(CycleGanConfig config, TrainingState state, CycleGanModel model)
    {
        var sections = new List<(string, byte[])>
        {
            (Checkpoint.ConfigSection, Encoding.UTF8.GetBytes(ConfigLoader.Serialize(config))),
            (Checkpoint.StateSection, Encoding.UTF8.GetBytes(state.ToJson())),
        };
        foreach (var (name, net) in model.Networks)
        {
            sections.Add(($"net/{name}", TensorArchive.Write(net.state_dict().Select(kv => (kv.Key, kv.Value)))));
        }

        sections.Add(("optimizer/G", OptimizerBytes(model.OptimizerG)));
        sections.Add(("optimizer/D", OptimizerBytes(model.OptimizerD)));
        sections.Add(("pool/A", TensorArchive.Write(model.PoolA.Images.Select((t, i) => (i.ToString(), t)))));
        sections.Add(("pool/B", TensorArchive.Write(model.PoolB.Images.Select((t, i) => (i.ToString(), t)))));
        using (Tensor rng = torch.random.get_rng_state())
        {
            sections.Add((Checkpoint.TorchRandom, TensorArchive.Write([("cpu", rng)])));
        }

        return sections;
    }

    /// <summary>Loads the networks, optimizers, pools and libtorch's random state into <paramref name="model"/>.
    /// Every network is checked against the checkpoint before any is changed.</summary>
    public static void Restore(CheckpointFile file, CycleGanModel model, bool optimizers = true)
    {
        var nets = model.Networks.Select(n => (n.Name, n.Net, Stored: Checkpoint.Network(file, n.Name))).ToList();
        var problems = new List<string>();
        foreach (var (name, net, stored) in nets)
        {
            try
            {
                TensorArchive.Check(net, stored, $"network {name}");
            }
            catch (CheckpointMismatchException ex)
            {
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            throw new CheckpointMismatchException($"checkpoint {file.Path} holds another architecture than the config: " + string.Join(" | ", problems));
        }

        foreach (var (name, net, stored) in nets)
        {
            TensorArchive.LoadInto(net, stored, $"network {name}");
        }

        if (optimizers)
        {
            LoadOptimizer(model.OptimizerG, file.Sections["optimizer/G"], file.Path, "G");
            LoadOptimizer(model.OptimizerD, file.Sections["optimizer/D"], file.Path, "D");
            model.ApplyOptimizerSettings();
        }

        int storedPool = file.Config.Train.PoolSize;
        RestorePool(model.PoolA, file.Sections["pool/A"], $"{file.Path} pool A", storedPool, model.Device);
        RestorePool(model.PoolB, file.Sections["pool/B"], $"{file.Path} pool B", storedPool, model.Device);
        var rng = TensorArchive.Read(file.Sections[Checkpoint.TorchRandom], $"{file.Path} random state");
        using Tensor state = rng[0].ToTensor();
        torch.random.set_rng_state(state);
    }

    /// <summary>Restores a pool's history; a pool_size made smaller on resume keeps the first images (slot order).</summary>
    private static void RestorePool(ImagePool pool, byte[] bytes, string what, int storedPoolSize, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var images = TensorArchive.Read(bytes, what).Select(s => s.ToTensor()).ToList();
        if (images.Count > storedPoolSize)
        {
            throw new InvalidDataException($"{what}: holds {images.Count} images, more than its run's pool_size {storedPoolSize}");
        }

        pool.Restore(images.Take(pool.PoolSize).Select(i => i.to(device)));
    }

    private static byte[] OptimizerBytes(TorchSharp.Modules.Adam optimizer)
    {
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(writer);
        }

        return memory.ToArray();
    }

    private static void LoadOptimizer(TorchSharp.Modules.Adam optimizer, byte[] bytes, string path, string name)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            optimizer.load_state_dict(reader);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"checkpoint {path} is unusable: optimizer {name}'s state does not fit ({ex.Message})");
        }
    }
}

using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Models;
using CycleGan.App.Runs;

namespace CycleGan.App.Export;

/// <summary>The four networks of a checkpoint, on the CPU in eval mode, with what the exported files say about them.</summary>
public sealed class ExportSource : IDisposable
{
    private ExportSource(CycleGanConfig config, string path, int epoch, IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> networks)
    {
        Config = config;
        Path = path;
        Epoch = epoch;
        Networks = networks;
    }

    public CycleGanConfig Config { get; }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Epochs completed when the checkpoint was written.</summary>
    public int Epoch { get; }

    /// <summary>G_A (A to B), G_B (B to A), D_A, D_B.</summary>
    public IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> Networks { get; }

    public static ExportSource FromCheckpoint(string path)
    {
        GeneratorSource.RequireFile(path, "checkpoint");
        CheckpointFile file = Checkpoint.Read(path);
        var networks = new Dictionary<string, nn.Module<Tensor, Tensor>>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, net, _) in NetworkFactory.CycleGan(file.Config, initialise: false))
            {
                networks[name] = net;
                GeneratorSource.LoadNetwork(file, name, net);
                net.eval();
            }
        }
        catch
        {
            foreach (var net in networks.Values)
            {
                net.Dispose();
            }

            throw;
        }

        return new ExportSource(file.Config, System.IO.Path.GetFullPath(path), file.State.Epoch - 1, networks);
    }

    /// <summary>What generator G_A or G_B of the checkpoint is.</summary>
    public GeneratorIdentity Identity(string generator) => GeneratorIdentity.For(Config, Directions.OfGenerator(generator));

    public void Dispose()
    {
        foreach (var net in Networks.Values)
        {
            net.Dispose();
        }
    }
}

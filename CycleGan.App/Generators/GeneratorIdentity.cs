using CycleGan.App.Config;
using CycleGan.App.Models;

namespace CycleGan.App.Generators;

/// <summary>
/// What a generator is, whatever it was loaded from: the way it translates, the channels it reads and writes, the
/// multiple its input sides must be (padding to it and cropping back is translate's business), and its architecture
/// in words. Computed here once, for checkpoints, .pth weights, ONNX files and the generators a run is training.
/// </summary>
public sealed record GeneratorIdentity(Direction Direction, int InputChannels, int OutputChannels, int SideMultiple, string Architecture)
{
    /// <summary>The generator of <paramref name="direction"/> that <paramref name="config"/> builds.</summary>
    public static GeneratorIdentity For(CycleGanConfig config, Direction direction)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (input, output) = direction.Channels(config.Data);
        return new GeneratorIdentity(direction, input, output, NetworkFactory.SideMultiple(config.Model.NetG),
            $"{config.Model.NetG} (ngf {config.Model.Ngf}, norm {config.Model.Norm})");
    }

    /// <summary>The generator's reference name: G_A for AtoB, G_B for BtoA.</summary>
    public string Name => Direction.Generator();

    /// <summary>Appended to an input's name: photo.jpg becomes photo_fake_B.png when translated to domain B.</summary>
    public string OutputSuffix => $"_fake_{Direction.Target()}";

    public override string ToString() => $"{Name} ({Direction}, {InputChannels}->{OutputChannels} channels, {Architecture})";
}

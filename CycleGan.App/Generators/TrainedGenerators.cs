using CycleGan.App.Config;

namespace CycleGan.App.Generators;

/// <summary>
/// The generators one source yields: both directions from a checkpoint, one from a .pth, safetensors or ONNX file,
/// with the config they were made with (for an ONNX file, from its metadata where it has one) and where they came from.
/// </summary>
public sealed class TrainedGenerators : IDisposable
{
    private readonly IReadOnlyDictionary<Direction, LoadedGenerator> generators;

    internal TrainedGenerators(CycleGanConfig config, GeneratorOrigin origin, IReadOnlyDictionary<Direction, LoadedGenerator> generators)
    {
        Config = config;
        Origin = origin;
        this.generators = generators;
    }

    public CycleGanConfig Config { get; }

    public GeneratorOrigin Origin { get; }

    public IEnumerable<Direction> Directions => generators.Keys;

    /// <summary>The generator of <paramref name="direction"/>; a source that holds only the other one is refused by name.</summary>
    public LoadedGenerator this[Direction direction] => generators.TryGetValue(direction, out var g)
        ? g
        : throw new ArgumentException(
            $"{Origin.Source} holds only the {string.Join(" and ", generators.Values.Select(v => v.Identity.Name))} generator " +
            $"({string.Join(", ", generators.Keys)}); {direction} needs {direction.Generator()}");

    public void Dispose()
    {
        foreach (var g in generators.Values)
        {
            g.Dispose();
        }
    }
}

namespace CycleGan.App.Config;

/// <summary>
/// Which way a generator translates: G_A maps domain A to B, G_B maps B to A. Every command that names a direction
/// (data.direction, translate/export --direction, an exported model's metadata) spells it AtoB or BtoA.
/// </summary>
public enum Direction
{
    AtoB,
    BtoA,
}

public static class Directions
{
    public static readonly IReadOnlyList<string> Names = Enum.GetNames<Direction>();

    /// <summary>The direction named <paramref name="text"/> (exactly AtoB or BtoA), or null.</summary>
    public static Direction? TryParse(string? text) =>
        text is not null && Names.Contains(text, StringComparer.Ordinal) ? Enum.Parse<Direction>(text) : null;

    public static Direction Parse(string text, string what) =>
        TryParse(text) ?? throw new ArgumentException($"{what} '{text}' is not a direction; allowed: {string.Join(", ", Names)}");

    /// <summary>The direction data.direction gives the first generator: the reference's real_A is read from trainB with BtoA.</summary>
    public static Direction Of(DataConfig data) => Parse(data?.Direction ?? string.Empty, "data.direction");

    public static Direction Opposite(this Direction d) => d == Direction.AtoB ? Direction.BtoA : Direction.AtoB;

    /// <summary>The generator that translates this way: G_A for AtoB, G_B for BtoA (the reference's names).</summary>
    public static string Generator(this Direction d) => d == Direction.AtoB ? "G_A" : "G_B";

    /// <summary>The direction of generator G_A or G_B.</summary>
    public static Direction OfGenerator(string name) => name switch
    {
        "G_A" => Direction.AtoB,
        "G_B" => Direction.BtoA,
        _ => throw new ArgumentException($"'{name}' is not a generator (G_A or G_B)", nameof(name)),
    };

    /// <summary>The domain a generator of this direction writes: B for AtoB.</summary>
    public static char Target(this Direction d) => d == Direction.AtoB ? 'B' : 'A';

    /// <summary>The channels a generator of this direction reads and writes: input_nc is domain A's, output_nc domain B's.</summary>
    public static (int In, int Out) Channels(this Direction d, DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return d == Direction.AtoB ? (data.InputNc, data.OutputNc) : (data.OutputNc, data.InputNc);
    }
}

namespace CycleGan.App.Layers;

/// <summary>A (height, width) pair that, as in PyTorch, may be given as one int for both.</summary>
public readonly record struct Size2(int H, int W)
{
    public static implicit operator Size2(int both) => new(both, both);

    public static implicit operator Size2((int H, int W) pair) => new(pair.H, pair.W);

    public long[] ToArray() => [H, W];

    public override string ToString() => H == W ? $"{H}" : $"({H}, {W})";
}

/// <summary>Convolution padding: explicit (height, width) amounts, or PyTorch's "same" / "valid".</summary>
public readonly record struct ConvPadding(int H, int W, string? Mode = null)
{
    public static readonly ConvPadding Valid = new(0, 0, "valid");
    public static readonly ConvPadding Same = new(0, 0, "same");

    public static implicit operator ConvPadding(int both) => new(both, both);

    public static implicit operator ConvPadding((int H, int W) pair) => new(pair.H, pair.W);

    public static implicit operator ConvPadding(string mode) => mode switch
    {
        "same" => Same,
        "valid" => Valid,
        _ => throw new ArgumentException($"padding must be an int, a pair, 'same' or 'valid'; got '{mode}'", "padding"),
    };

    public bool IsSame => Mode == "same";

    public override string ToString() => Mode ?? (H == W ? $"{H}" : $"({H}, {W})");
}

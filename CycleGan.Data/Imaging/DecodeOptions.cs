namespace CycleGan.Data.Imaging;

/// <summary>Bounds on what the decoder accepts.</summary>
public sealed record DecodeOptions
{
    /// <summary>50 megapixels: an RGBA decode of that is 200 MB, a bound that several workers can hold at once on a
    /// small machine; a 12000x12000 image (144 MP) is refused.</summary>
    public const long DefaultMaxPixels = 50_000_000;

    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>Files larger than this are refused before they are read (1 GiB).</summary>
    public long MaxFileBytes { get; init; } = 1L << 30;

    public static DecodeOptions Default { get; } = new();
}

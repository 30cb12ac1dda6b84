namespace CycleGan.Data.Transforms;

/// <summary>How one domain's images become network input: the reference's preprocess, load_size, crop_size, no_flip
/// and input_nc/output_nc.</summary>
public sealed record TransformOptions
{
    public PreprocessMode Preprocess { get; init; } = PreprocessMode.ResizeAndCrop;

    public int LoadSize { get; init; } = 286;

    public int CropSize { get; init; } = 256;

    public bool NoFlip { get; init; }

    /// <summary>1 (grayscale) or 3 (RGB).</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Throws ArgumentException naming the bad value.</summary>
    public void Validate()
    {
        if (Channels is not (1 or 3))
        {
            throw new ArgumentException($"channels must be 1 or 3, not {Channels}");
        }

        if (LoadSize < 1 || CropSize < 1)
        {
            throw new ArgumentException($"load_size ({LoadSize}) and crop_size ({CropSize}) must be positive");
        }

        if (Preprocess is PreprocessMode.ResizeAndCrop or PreprocessMode.ScaleWidthAndCrop && LoadSize < CropSize)
        {
            throw new ArgumentException($"load_size ({LoadSize}) must be at least crop_size ({CropSize}) for preprocess {Preprocess.ToName()}");
        }
    }
}

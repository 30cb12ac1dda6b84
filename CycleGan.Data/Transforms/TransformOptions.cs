namespace CycleGan.Data.Transforms;

/// <summary>How images become network input: the reference's preprocess, load_size, crop_size and no_flip. (The
/// channel counts, input_nc and output_nc, are per domain: <see cref="Datasets.UnpairedDatasetOptions"/>.)</summary>
public sealed record TransformOptions
{
    public PreprocessMode Preprocess { get; init; } = PreprocessMode.ResizeAndCrop;

    public int LoadSize { get; init; } = 286;

    public int CropSize { get; init; } = 256;

    public bool NoFlip { get; init; }

    /// <summary>Throws ArgumentException naming the bad value.</summary>
    public void Validate()
    {
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

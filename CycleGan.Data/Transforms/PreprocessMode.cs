namespace CycleGan.Data.Transforms;

/// <summary>The reference's --preprocess choices.</summary>
public enum PreprocessMode
{
    /// <summary>Resize to load_size x load_size (aspect not kept), then a random crop_size square.</summary>
    ResizeAndCrop,

    /// <summary>A random crop_size square of the image as it is.</summary>
    Crop,

    /// <summary>Width to load_size, height scaled to keep the aspect (but at least crop_size).</summary>
    ScaleWidth,

    /// <summary>scale_width, then a random crop_size square.</summary>
    ScaleWidthAndCrop,

    /// <summary>No resize except rounding each side to a multiple of 4 (the generator down- and up-samples twice).</summary>
    None,
}

public static class PreprocessModes
{
    public static readonly IReadOnlyList<string> Names = ["resize_and_crop", "crop", "scale_width", "scale_width_and_crop", "none"];

    public static PreprocessMode Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "resize_and_crop" => PreprocessMode.ResizeAndCrop,
        "crop" => PreprocessMode.Crop,
        "scale_width" => PreprocessMode.ScaleWidth,
        "scale_width_and_crop" => PreprocessMode.ScaleWidthAndCrop,
        "none" => PreprocessMode.None,
        _ => throw new ArgumentException($"preprocess '{name}' is not one of: {string.Join(", ", Names)}", nameof(name)),
    };

    public static string ToName(this PreprocessMode mode) => mode switch
    {
        PreprocessMode.ResizeAndCrop => "resize_and_crop",
        PreprocessMode.Crop => "crop",
        PreprocessMode.ScaleWidth => "scale_width",
        PreprocessMode.ScaleWidthAndCrop => "scale_width_and_crop",
        _ => "none",
    };
}

using CycleGan.App.Config;
using CycleGan.Data.Datasets;
using CycleGan.Data.Imaging;
using CycleGan.Data.Transforms;

namespace CycleGan.App.Training;

/// <summary>
/// The size of the images the networks are trained on, as the config's preprocess makes them: the crop modes give
/// crop_size squares; none and scale_width keep each image's own size or aspect, so the size is that of an actual
/// image (the dataset's first trainA image), or, without a readable dataset, stated as depending on the images.
/// </summary>
public static class TrainingInputSize
{
    /// <summary>Width, height and what they are based on, in words.</summary>
    public static (int Width, int Height, string Basis) Of(CycleGanConfig config, int? side)
    {
        ArgumentNullException.ThrowIfNull(config);
        DataConfig data = config.Data;
        if (side is { } s)
        {
            return (s, s, "--size");
        }

        PreprocessMode mode = PreprocessModes.Parse(data.Preprocess);
        var options = new TransformOptions { Preprocess = mode, LoadSize = data.LoadSize, CropSize = data.CropSize };
        string depends = mode == PreprocessMode.None
            ? "data.preprocess none: each image's own size, rounded to a multiple of 4"
            : "data.preprocess scale_width: width data.load_size, height by each image's aspect ratio (at least data.crop_size)";
        switch (mode)
        {
            case PreprocessMode.ResizeAndCrop or PreprocessMode.Crop or PreprocessMode.ScaleWidthAndCrop:
                return (data.CropSize, data.CropSize, $"data.crop_size, data.preprocess {data.Preprocess}");
            default:
                if (FirstImage(data) is { } first)
                {
                    var (w, h) = ImageTransform.OutputSize(first.Width, first.Height, options);
                    return (w, h, $"{depends}; here that of {first.Path}; --size N for another");
                }

                var (sw, sh) = ImageTransform.OutputSize(data.LoadSize, data.LoadSize, options);
                return (sw, sh, $"{depends}; no dataset image to measure, so shown for a {data.LoadSize}x{data.LoadSize} image; --size N for another");
        }
    }

    private static (string Path, int Width, int Height)? FirstImage(DataConfig data)
    {
        string root = DataRoot.Folder(data);
        try
        {
            string dir = DatasetLayout.DomainDirectory(root, "train", data.Direction == "AtoB" ? 'A' : 'B');
            string file = DatasetLayout.ListImages(dir, 1).Images[0];
            var (w, h) = ImageDecoder.Identify(file);
            return (file, w, h);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageException or SixLabors.ImageSharp.ImageFormatException)
        {
            return null;
        }
    }
}

using CycleGan.Data.Imaging;
using CycleGan.Data.Transforms;

namespace CycleGan.Data.Loading;

/// <summary>One file through the same decode and preprocessing as the dataset, for translating single images (the
/// reference's "single" dataset). Use preprocess none (and no_flip) to keep the image whole.</summary>
public static class SingleImage
{
    public static ImageBatch Load(string path, TransformOptions transform, int channels = 3, long seed = 0, DecodeOptions? decode = null)
    {
        transform.Validate();
        using var image = ImageDecoder.LoadRgb(path, decode);
        var random = SampleRandom.For(seed, 0);
        ImageTransform.Apply(image, transform, ref random, path);
        var data = new float[channels * image.Width * image.Height];
        PixelConversion.ToNormalizedChw(image, channels, data);
        return new ImageBatch(data, 1, channels, image.Height, image.Width, [path]);
    }
}

using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace CycleGan.Data.Transforms;

/// <summary>
/// The reference's get_transform for unpaired data: resize or scale_width, random crop, rounding to a multiple of 4,
/// random horizontal flip. Every resize uses ImageSharp's bicubic kernel (Keys, a = -0.5, the kernel PIL's BICUBIC
/// uses, widened when downscaling as PIL does), so sizes match the reference exactly and pixels closely.
/// </summary>
public static class ImageTransform
{
    /// <summary>The interpolation used for every resize; the README states it.</summary>
    public static readonly IResampler Resampler = KnownResamplers.Bicubic;

    /// <summary>Transforms <paramref name="image"/> in place. Draws from <paramref name="random"/> in a fixed order
    /// (crop x, crop y, flip) so that the outcome is a function of the generator's seed.</summary>
    public static void Apply(Image<Rgb24> image, TransformOptions options, ref SampleRandom random, string path)
    {
        int crop = options.CropSize;
        switch (options.Preprocess)
        {
            case PreprocessMode.ResizeAndCrop:
                Resize(image, options.LoadSize, options.LoadSize);
                RandomCrop(image, crop, ref random, path);
                break;
            case PreprocessMode.Crop:
                RandomCrop(image, crop, ref random, path);
                break;
            case PreprocessMode.ScaleWidth:
                ScaleWidth(image, options.LoadSize, crop);
                break;
            case PreprocessMode.ScaleWidthAndCrop:
                ScaleWidth(image, options.LoadSize, crop);
                RandomCrop(image, crop, ref random, path);
                break;
            case PreprocessMode.None:
                var (w, h) = MultipleOf4(image.Width, image.Height);
                Resize(image, w, h);
                break;
        }

        if (!options.NoFlip && random.NextBool())
        {
            image.Mutate(x => x.Flip(FlipMode.Horizontal));
        }
    }

    /// <summary>The output size of <see cref="Apply"/> for an image of the given size (crop modes: the crop).</summary>
    public static (int Width, int Height) OutputSize(int width, int height, TransformOptions options) => options.Preprocess switch
    {
        PreprocessMode.ResizeAndCrop or PreprocessMode.Crop or PreprocessMode.ScaleWidthAndCrop => (options.CropSize, options.CropSize),
        PreprocessMode.ScaleWidth => ScaleWidthSize(width, height, options.LoadSize, options.CropSize),
        _ => MultipleOf4(width, height),
    };

    /// <summary>Each side rounded to the nearest multiple of 4, ties to even as Python's round() (30 -> 32, 10 -> 8);
    /// never below 4, where the reference would produce an empty image.</summary>
    public static (int Width, int Height) MultipleOf4(int width, int height) =>
        (Math.Max(4, (int)Math.Round(width / 4.0, MidpointRounding.ToEven) * 4),
         Math.Max(4, (int)Math.Round(height / 4.0, MidpointRounding.ToEven) * 4));

    /// <summary>The reference's __scale_width: width = load_size, height keeps the aspect but is at least crop_size;
    /// an image already load_size wide and tall enough is left alone.</summary>
    public static (int Width, int Height) ScaleWidthSize(int width, int height, int loadSize, int cropSize)
    {
        if (width == loadSize && height >= cropSize)
        {
            return (width, height);
        }

        double scaled = (double)loadSize * height / width;
        return (loadSize, (int)Math.Max(scaled, cropSize)); // int() truncates, as the reference does
    }

    private static void ScaleWidth(Image<Rgb24> image, int loadSize, int cropSize)
    {
        var (w, h) = ScaleWidthSize(image.Width, image.Height, loadSize, cropSize);
        Resize(image, w, h);
    }

    private static void Resize(Image<Rgb24> image, int width, int height)
    {
        if (image.Width != width || image.Height != height)
        {
            image.Mutate(x => x.Resize(new ResizeOptions
            {
                Size = new Size(width, height),
                Mode = ResizeMode.Stretch,
                Sampler = Resampler,
            }));
        }
    }

    private static void RandomCrop(Image<Rgb24> image, int size, ref SampleRandom random, string path)
    {
        if (image.Width < size || image.Height < size)
        {
            // torchvision's RandomCrop refuses this too; padding would invent content the discriminator learns from.
            throw new InvalidDataException(
                $"{path}: image is {image.Width}x{image.Height} after preprocessing, smaller than crop_size {size}; " +
                "use preprocess resize_and_crop or scale_width_and_crop, or a smaller crop_size");
        }

        int x = random.Next(image.Width - size + 1);
        int y = random.Next(image.Height - size + 1);
        if (image.Width != size || image.Height != size)
        {
            image.Mutate(c => c.Crop(new Rectangle(x, y, size, size)));
        }
    }
}

using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CycleGan.Data.Imaging;

/// <summary>
/// Reads any supported file into an upright RGB image: EXIF orientation applied, transparency composited over white
/// (PIL's convert('RGB') would drop alpha and show whatever colour hides under transparent pixels), grayscale,
/// 16-bit, CMYK and palette images converted to 8-bit RGB. Files that cannot be used throw BadImageException.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The extensions the dataset picks up (lower case, with the dot).</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp",
    };

    /// <summary>One configuration for all decoding: single-threaded inside an image, because the loader already runs
    /// one image per worker and nested parallelism would only oversubscribe the cores.</summary>
    internal static readonly Configuration Config = CreateConfiguration();

    private static readonly GifDecoder FirstFrameGif = new() { DecodingMode = FrameDecodingMode.First };

    public static bool HasImageExtension(string path) => Extensions.Contains(System.IO.Path.GetExtension(path));

    public static Image<Rgb24> LoadRgb(string path, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        byte[] bytes = ReadBytes(path, options);
        return DecodeRgb(path, bytes, options);
    }

    /// <summary>Decodes bytes already in memory; <paramref name="path"/> only names the source in errors.</summary>
    public static Image<Rgb24> DecodeRgb(string path, byte[] bytes, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        if (bytes.Length == 0)
        {
            throw new BadImageException(path, "file is empty");
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            IImageInfo? info = Image.Identify(Config, stream, out IImageFormat? format);
            if (info is null || format is null)
            {
                throw new BadImageException(path, "not a recognised image format");
            }

            if (info.Width <= 0 || info.Height <= 0)
            {
                throw new BadImageException(path, $"image header declares {info.Width}x{info.Height} pixels");
            }

            if ((long)info.Width * info.Height > options.MaxPixels)
            {
                throw new ImageTooLargeException(path, info.Width, info.Height, options.MaxPixels);
            }

            if (format is JpegFormat && !JpegStructure.HasEndOfImage(bytes))
            {
                // ImageSharp decodes a cut-off JPEG without complaint and fills the missing rows with grey; PIL refuses
                // it ("image file is truncated"). A grey band would silently poison training, so refuse it as well.
                throw new BadImageException(path, "JPEG is truncated (no end-of-image marker)");
            }

            stream.Position = 0;
            Image<Rgb24> image = format is JpegFormat
                ? Image.Load<Rgb24>(Config, stream) // JPEG has no alpha: skip the RGBA round trip
                : FlattenOnWhite(format is GifFormat ? Image.Load<Rgba32>(Config, stream, FirstFrameGif) : Image.Load<Rgba32>(Config, stream));
            KeepFirstFrame(image);
            if (format is JpegFormat)
            {
                image.Mutate(x => x.AutoOrient());
            }

            return image;
        }
        catch (ImageFormatException ex)
        {
            throw new BadImageException(path, $"cannot decode: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is EndOfStreamException or NotSupportedException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // ImageSharp 2.x lets some corrupt streams surface as these rather than as ImageFormatException.
            throw new BadImageException(path, $"cannot decode: {ex.Message}", ex);
        }
    }

    /// <summary>Width and height as displayed (after EXIF orientation), read from the header only.</summary>
    public static (int Width, int Height) Identify(string path)
    {
        IImageInfo? info = Image.Identify(Config, path, out _);
        if (info is null)
        {
            throw new BadImageException(path, "not a recognised image format");
        }

        ushort orientation = ReadOrientation(info.Metadata);
        return orientation is >= 5 and <= 8 ? (info.Height, info.Width) : (info.Width, info.Height);
    }

    private static byte[] ReadBytes(string path, DecodeOptions options)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"{path}: image file not found", path);
        }

        if (file.Length > options.MaxFileBytes)
        {
            throw new BadImageException(path, $"file is {file.Length:N0} bytes, more than the limit of {options.MaxFileBytes:N0}");
        }

        return File.ReadAllBytes(path);
    }

    private static Image<Rgb24> FlattenOnWhite(Image<Rgba32> rgba)
    {
        using (rgba)
        {
            KeepFirstFrame(rgba);
            var rgb = new Image<Rgb24>(Config, rgba.Width, rgba.Height);
            rgba.Mutate(x => x.AutoOrient()); // orientation lives in the source's EXIF, which the copy does not carry
            rgba.ProcessPixelRows(rgb, (src, dst) =>
            {
                for (int y = 0; y < src.Height; y++)
                {
                    Span<Rgba32> s = src.GetRowSpan(y);
                    Span<Rgb24> d = dst.GetRowSpan(y);
                    for (int x = 0; x < s.Length; x++)
                    {
                        Rgba32 p = s[x];
                        int a = p.A;
                        int w = 255 * (255 - a); // white's share, scaled by 255
                        d[x] = new Rgb24(
                            (byte)((p.R * a + w + 127) / 255),
                            (byte)((p.G * a + w + 127) / 255),
                            (byte)((p.B * a + w + 127) / 255));
                    }
                }
            });
            return rgb;
        }
    }

    private static void KeepFirstFrame(Image image)
    {
        while (image.Frames.Count > 1)
        {
            image.Frames.RemoveFrame(image.Frames.Count - 1);
        }
    }

    private static ushort ReadOrientation(ImageMetadata metadata)
    {
        var value = metadata.ExifProfile?.GetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation);
        return value?.Value ?? 1;
    }

    private static Configuration CreateConfiguration()
    {
        Configuration config = Configuration.Default.Clone();
        config.MaxDegreeOfParallelism = 1;
        return config;
    }
}

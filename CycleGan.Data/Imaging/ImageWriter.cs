using CycleGan.Data.Loading;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

namespace CycleGan.Data.Imaging;

/// <summary>Saves images as PNG or JPEG (chosen by extension) atomically: a reader, or a run killed mid-write, never
/// sees a half-written file, because the bytes go to a temporary file in the same folder that is then renamed.</summary>
public static class ImageWriter
{
    public const int DefaultJpegQuality = 95;

    public static void Save(Image image, string path, int jpegQuality = DefaultJpegQuality) => Write(image, path, jpegQuality, replace: true);

    /// <summary>Saves only if <paramref name="path"/> does not exist, checked and claimed in one step (the finished
    /// temporary file is moved without replacing), so that of two writers racing for one name exactly one wins;
    /// false, and nothing written, when the name is taken.</summary>
    public static bool SaveNew(Image image, string path, int jpegQuality = DefaultJpegQuality) => Write(image, path, jpegQuality, replace: false);

    private static bool Write(Image image, string path, int jpegQuality, bool replace)
    {
        IImageEncoder encoder = EncoderFor(path, jpegQuality);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (FileStream stream = File.Create(temp))
            {
                image.Save(stream, encoder);
            }

            File.Move(temp, full, overwrite: replace);
            return true;
        }
        catch (IOException) when (!replace && File.Exists(full))
        {
            File.Delete(temp);
            return false;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Image <paramref name="index"/> of a batch, denormalised and clamped.</summary>
    public static void SaveFromBatch(ImageBatch batch, int index, string path, int jpegQuality = DefaultJpegQuality)
    {
        using var image = ToImage(batch, index);
        Save(image, path, jpegQuality);
    }

    public static SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24> ToImage(ImageBatch batch, int index)
    {
        if (index < 0 || index >= batch.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"batch holds {batch.Count} image(s)");
        }

        int size = batch.Channels * batch.Height * batch.Width;
        return PixelConversion.FromNormalizedChw(batch.Data.AsSpan(index * size, size), batch.Channels, batch.Height, batch.Width);
    }

    private static IImageEncoder EncoderFor(string path, int jpegQuality) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".png" => new PngEncoder(),
        ".jpg" or ".jpeg" => new JpegEncoder { Quality = Math.Clamp(jpegQuality, 1, 100) },
        var ext => throw new ArgumentException($"cannot save '{path}': extension '{ext}' is not .png, .jpg or .jpeg"),
    };
}

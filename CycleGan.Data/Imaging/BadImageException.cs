namespace CycleGan.Data.Imaging;

/// <summary>A file that cannot be used as an image (empty, truncated, corrupt, not an image, too large). The loader
/// skips such files with a warning; everything else that goes wrong while loading stops the run.</summary>
public class BadImageException(string path, string reason, Exception? inner = null)
    : IOException($"{path}: {reason}", inner)
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}

/// <summary>An image whose header declares more pixels than the configured bound; refused before any pixel memory
/// is allocated.</summary>
public sealed class ImageTooLargeException(string path, int width, int height, long maxPixels)
    : BadImageException(path, $"image is {width}x{height} ({(long)width * height:N0} pixels), more than the limit of {maxPixels:N0} pixels; " +
                              "downscale it first or raise the limit")
{
    public int Width { get; } = width;

    public int Height { get; } = height;
}

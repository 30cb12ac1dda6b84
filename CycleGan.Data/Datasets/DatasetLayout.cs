using CycleGan.Data.Imaging;

namespace CycleGan.Data.Datasets;

/// <summary>The reference's folder layout: ROOT/{phase}A and ROOT/{phase}B, images found recursively.</summary>
public static class DatasetLayout
{
    public static readonly string ExpectedLayoutHelp =
        "Expected layout: ROOT/trainA and ROOT/trainB (ROOT/testA and ROOT/testB for testing), each holding images " +
        $"({string.Join(" ", ImageDecoder.Extensions.Order(StringComparer.Ordinal))}), searched recursively. " +
        "`cyclegan dataset synth --output DIR` makes a small one.";

    /// <summary>ROOT/{phase}{domain}, checked to exist.</summary>
    public static string DomainDirectory(string root, string phase, char domain)
    {
        if (!Directory.Exists(root))
        {
            throw new DatasetLayoutException($"dataset root '{root}' does not exist.");
        }

        string dir = Path.Combine(root, phase + domain);
        if (!Directory.Exists(dir))
        {
            throw new DatasetLayoutException($"dataset folder '{dir}' is missing.");
        }

        return dir;
    }

    /// <summary>The image files under <paramref name="dir"/>, sorted by ordinal path so every machine sees one order,
    /// then cut to <paramref name="maxCount"/> (the reference's max_dataset_size); files with other extensions are
    /// returned apart so they can be reported.</summary>
    public static (IReadOnlyList<string> Images, IReadOnlyList<string> Ignored) ListImages(string dir, int maxCount = int.MaxValue)
    {
        var images = new List<string>();
        var ignored = new List<string>();
        foreach (string file in Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            (ImageDecoder.HasImageExtension(file) ? images : ignored).Add(file);
        }

        images.Sort(StringComparer.Ordinal);
        ignored.Sort(StringComparer.Ordinal);
        if (images.Count == 0)
        {
            throw new DatasetLayoutException($"dataset folder '{dir}' holds no images" +
                                             (ignored.Count > 0 ? $" (only {ignored.Count} file(s) of other kinds, e.g. {Path.GetFileName(ignored[0])})." : "."));
        }

        if (maxCount < images.Count)
        {
            images.RemoveRange(maxCount, images.Count - maxCount);
        }

        return (images, ignored);
    }
}

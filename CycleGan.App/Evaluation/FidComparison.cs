using System.Text.Json.Serialization;
using CycleGan.Data.Imaging;
using Serilog;

namespace CycleGan.App.Evaluation;

/// <summary>One side of a comparison: a folder of images (with its count and the unreadable files skipped) or a
/// statistics file (N unknown).</summary>
public sealed record FidInput(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("images")] int? Images,
    [property: JsonPropertyName("unreadable")] IReadOnlyList<string> Unreadable);

/// <summary>The outcome of `cyclegan fid`: FID (pytorch-fid's number), KID when asked, and the note on N.</summary>
public sealed record FidReport(
    [property: JsonPropertyName("first")] FidInput First,
    [property: JsonPropertyName("second")] FidInput Second,
    [property: JsonPropertyName("fid")] double Fid,
    [property: JsonPropertyName("regularised")] bool Regularised,
    [property: JsonPropertyName("note")] string? Note,
    [property: JsonPropertyName("kid")] double? Kid,
    [property: JsonPropertyName("kid_std")] double? KidStd,
    [property: JsonPropertyName("kid_subset_size")] int? KidSubsetSize,
    [property: JsonPropertyName("kid_subsets")] int? KidSubsets);

/// <summary>
/// FID (and KID) between any two folders of images or pytorch-fid statistics files, as `python -m pytorch_fid A B`:
/// every image is decoded to 8-bit RGB, scaled to [0, 1], resized to 299x299 (bilinear, align_corners false) and
/// scaled to [-1, 1] inside the FID Inception. Folders are searched recursively for every format the tool reads.
/// </summary>
public sealed class FidComparison(Func<FidInception> inception, Device device, int batchSize) : IDisposable
{
    private FidInception? network;

    /// <summary>The statistics of a folder or .npz, with the folder's features when <paramref name="keepFeatures"/>
    /// (KID needs them; the caller disposes them).</summary>
    public (FidInput Input, FidStatistics Statistics, Tensor? Features) Read(string path, bool keepFeatures)
    {
        if (FidStatistics.IsStatisticsFile(path) && !Directory.Exists(path))
        {
            if (keepFeatures)
            {
                throw new ArgumentException($"KID needs every image's features, and {path} is a statistics file holding only mu and sigma: give a folder of images, or leave out --kid");
            }

            return (new FidInput(path, "statistics", null, []), FidStatistics.Load(path), null);
        }

        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException(File.Exists(path)
                ? $"{path} is neither a folder of images nor a pytorch-fid statistics file (.npz)"
                : $"{path} does not exist (give a folder of images or a .npz statistics file)");
        }

        IReadOnlyList<string> files = ListImages(path);
        var failed = new List<string>();
        network ??= inception();
        Tensor features;
        using (var collector = new InceptionFeatures(network, device, batchSize))
        {
            foreach (string file in files)
            {
                try
                {
                    using var scope = torch.NewDisposeScope();
                    collector.Add(Load(file));
                }
                catch (BadImageException ex)
                {
                    Log.Error("{File}: {Error}", file, ex.Message);
                    failed.Add(file);
                }
            }

            features = collector.Collect();
        }

        if (features.shape[0] < 2)
        {
            features.Dispose();
            throw new InvalidDataException($"FID needs at least 2 images per set, {path} has {files.Count - failed.Count} readable ({failed.Count} unreadable skipped)");
        }

        var input = new FidInput(path, "images", (int)features.shape[0], failed);
        FidStatistics statistics = FidStatistics.FromFeatures(features);
        if (keepFeatures)
        {
            return (input, statistics, features);
        }

        features.Dispose();
        return (input, statistics, null);
    }

    public FidReport Compare(string first, string second, bool kid)
    {
        var (a, sa, fa) = Read(first, kid);
        try
        {
            var (b, sb, fb) = Read(second, kid);
            using (fb)
            {
                if (sa.Dimensions != sb.Dimensions)
                {
                    throw new InvalidDataException($"{first} has {sa.Dimensions} feature dimensions and {second} {sb.Dimensions}: FID compares statistics of one Inception layer");
                }

                using var scope = torch.NewDisposeScope();
                var (mu1, s1) = sa.ToTensors();
                var (mu2, s2) = sb.ToTensors();
                FrechetResult fid = FrechetDistance.Evaluate(mu1, s1, mu2, s2);
                KidResult? k = kid && fa is not null && fb is not null ? KernelInceptionDistance.Compute(fa, fb) : null;
                return new FidReport(a, b, fid.Distance, fid.Regularised, FidSampleSize.Note(a.Images, b.Images), k?.Mean, k?.Std, k?.SubsetSize, k?.Subsets);
            }
        }
        finally
        {
            fa?.Dispose();
        }
    }

    public void Dispose() => network?.Dispose();

    /// <summary>Every image under <paramref name="folder"/> (recursively), in ordinal order; refuses a folder with none.</summary>
    public static IReadOnlyList<string> ListImages(string folder)
    {
        var files = Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(ImageDecoder.HasImageExtension).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidDataException($"{folder} holds no images ({string.Join(", ", ImageDecoder.Extensions.Order(StringComparer.Ordinal))}, searched recursively)");
        }

        return files;
    }

    /// <summary>An image file as [1, 3, H, W] in [-1, 1] (8-bit values exactly, which InceptionFeatures scales back to
    /// [0, 1] as pytorch-fid's ToTensor gives them).</summary>
    private static Tensor Load(string file)
    {
        using var image = ImageDecoder.LoadRgb(file);
        var chw = new float[3 * image.Width * image.Height];
        PixelConversion.ToNormalizedChw(image, 3, chw);
        return torch.tensor(chw, [1, 3, image.Height, image.Width]);
    }
}

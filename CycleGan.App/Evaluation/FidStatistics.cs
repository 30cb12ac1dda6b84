using System.IO.Compression;
using CycleGan.App.Runs;

namespace CycleGan.App.Evaluation;

/// <summary>
/// The Gaussian statistics FID compares: the mean [d] and unbiased covariance [d, d] of a set's Inception features, in
/// float64, with the number of images behind them where known (a statistics file does not say). Stored as pytorch-fid's
/// --save-stats files: a NumPy .npz (a zip archive) holding mu.npy and sigma.npy.
/// </summary>
public sealed record FidStatistics(double[] Mean, double[] Covariance, int? Count)
{
    public int Dimensions => Mean.Length;

    public static FidStatistics FromFeatures(Tensor features)
    {
        using var scope = torch.NewDisposeScope();
        var (mean, covariance) = FrechetDistance.Statistics(features);
        return new FidStatistics(Values(mean), Values(covariance), (int)features.shape[0]);
    }

    /// <summary>The mean and covariance as float64 tensors (in the caller's dispose scope).</summary>
    public (Tensor Mean, Tensor Covariance) ToTensors() =>
        (torch.tensor(Mean, ScalarType.Float64), torch.tensor(Covariance, [Dimensions, Dimensions], ScalarType.Float64));

    public static bool IsStatisticsFile(string path) => path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads mu and sigma from an .npz (numpy's np.savez or np.savez_compressed); other arrays are ignored, as
    /// pytorch-fid ignores them.</summary>
    public static FidStatistics Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"statistics file {path} does not exist", path);
        }

        NpyArray mu, sigma;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            NpyArray Entry(string key)
            {
                ZipArchiveEntry entry = zip.GetEntry(key + ".npy")
                    ?? throw new InvalidDataException($"statistics file {path} has no array '{key}' (it holds {string.Join(", ", zip.Entries.Select(e => e.FullName))}); pytorch-fid's files hold mu and sigma");
                using Stream stream = entry.Open();
                return NpyFile.Read(stream, $"{path}: {key}");
            }

            mu = Entry("mu");
            sigma = Entry("sigma");
        }
        catch (InvalidDataException ex) when (!ex.Message.StartsWith(path, StringComparison.Ordinal) && !ex.Message.StartsWith("statistics file", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"statistics file {path} is not a NumPy .npz (zip) archive: {ex.Message}", ex);
        }

        if (mu.Shape.Length != 1 || mu.Shape[0] < 1)
        {
            throw new InvalidDataException($"statistics file {path}: mu has shape ({string.Join(", ", mu.Shape)}), not a vector (d,)");
        }

        long d = mu.Shape[0];
        if (sigma.Shape.Length != 2 || sigma.Shape[0] != d || sigma.Shape[1] != d)
        {
            throw new InvalidDataException($"statistics file {path}: sigma has shape ({string.Join(", ", sigma.Shape)}), mu's dimension {d} needs ({d}, {d})");
        }

        return new FidStatistics(mu.Values, sigma.Values, null);
    }

    /// <summary>Writes mu.npy and sigma.npy into an .npz as np.savez_compressed does, atomically (a reader sees the
    /// old file or the whole new one).</summary>
    public void Save(string path)
    {
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (key, array) in new[] { ("mu", new NpyArray([Dimensions], Mean)), ("sigma", new NpyArray([Dimensions, Dimensions], Covariance)) })
            {
                ZipArchiveEntry entry = zip.CreateEntry(key + ".npy", CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero); // the same bytes for the same statistics
                using Stream s = entry.Open();
                NpyFile.Write(s, array);
            }
        });
    }

    private static double[] Values(Tensor t) => t.to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
}

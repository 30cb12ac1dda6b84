using System.IO.Compression;
using System.Text.Json;
using CycleGan.App.Evaluation;
using CycleGan.Tests.Data;

namespace CycleGan.Tests.Evaluation;

/// <summary>pytorch-fid's statistics files: .npz written by numpy are read (fid_npz.json holds the values numpy wrote),
/// other dtypes and shapes are refused by name, and numpy reads ours (fid_npz.json records what numpy read from
/// ours_stats.npz, which `cyclegan fid numpy_stats.npz --save-stats` wrote; scripts/interop/make_fid_small_fixtures.py).</summary>
public sealed class FidStatisticsFileTests
{
    private static readonly JsonElement Record = JsonDocument.Parse(File.ReadAllText(SplitMixWeights.Fixture("fid_npz.json"))).RootElement;

    private static double[] Flat(JsonElement e) => e.ValueKind == JsonValueKind.Array && e[0].ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flat).ToArray()
        : e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Theory]
    [InlineData("numpy_stats.npz")]
    [InlineData("numpy_stats_stored.npz")]
    public void Reads_the_statistics_numpy_wrote(string file)
    {
        FidStatistics s = FidStatistics.Load(SplitMixWeights.Fixture(file));
        Assert.Equal(Flat(Record.GetProperty("mu")), s.Mean);
        Assert.Equal(Flat(Record.GetProperty("sigma")), s.Covariance);
        Assert.Equal(5, s.Dimensions);
        Assert.Null(s.Count);
    }

    [Fact]
    public void Refuses_float32_statistics_by_their_dtype()
    {
        var ex = Assert.Throws<InvalidDataException>(() => FidStatistics.Load(SplitMixWeights.Fixture("numpy_stats_f4.npz")));
        Assert.Contains("<f4", ex.Message);
        Assert.Contains("mu", ex.Message);
    }

    [Fact]
    public void Numpy_read_ours_as_the_values_we_write_now()
    {
        JsonElement numpy = Record.GetProperty("ours_read_by_numpy");
        Assert.Equal(JsonValueKind.Object, numpy.ValueKind);
        Assert.Equal("<f8", numpy.GetProperty("mu_dtype").GetString());
        Assert.Equal("<f8", numpy.GetProperty("sigma_dtype").GetString());
        Assert.Equal([5], numpy.GetProperty("mu_shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([5, 5], numpy.GetProperty("sigma_shape").EnumerateArray().Select(v => v.GetInt32()));
        Assert.True(numpy.GetProperty("equal_to_numpy_stats").GetBoolean());

        // what we write today from numpy's file: the same arrays numpy read from the committed file, byte for byte
        using var dir = new TempDirectory();
        string ours = dir.Combine("ours.npz");
        FidStatistics.Load(SplitMixWeights.Fixture("numpy_stats.npz")).Save(ours);
        Assert.Equal(Flat(numpy.GetProperty("mu")), FidStatistics.Load(ours).Mean);
        Assert.Equal(Flat(numpy.GetProperty("sigma")), FidStatistics.Load(ours).Covariance);
        foreach (string entry in new[] { "mu.npy", "sigma.npy" })
        {
            Assert.Equal(EntryBytes(SplitMixWeights.Fixture("ours_stats.npz"), entry), EntryBytes(ours, entry));
        }
    }

    [Fact]
    public void Refuses_a_missing_array_and_mismatched_shapes_by_name()
    {
        using var dir = new TempDirectory();
        string noSigma = Write(dir.Combine("no_sigma.npz"), ("mu", new NpyArray([3], [1, 2, 3])));
        Assert.Contains("no array 'sigma'", Assert.Throws<InvalidDataException>(() => FidStatistics.Load(noSigma)).Message);

        string wrong = Write(dir.Combine("wrong.npz"), ("mu", new NpyArray([3], [1, 2, 3])), ("sigma", new NpyArray([2, 2], [1, 0, 0, 1])));
        Assert.Contains("sigma has shape (2, 2)", Assert.Throws<InvalidDataException>(() => FidStatistics.Load(wrong)).Message);

        string notZip = dir.Combine("text.npz");
        File.WriteAllText(notZip, "mu, sigma");
        Assert.Contains("not a NumPy .npz", Assert.Throws<InvalidDataException>(() => FidStatistics.Load(notZip)).Message);
    }

    [Fact]
    public void Saving_replaces_a_file_whole_and_round_trips_exactly()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("stats.npz");
        File.WriteAllText(path, "an older file");
        var stats = new FidStatistics([0.1, -2.5e-300, double.Epsilon], [1, 0.5, 0, 0.5, 2, 1e-17, 0, 1e-17, 3], 7);
        stats.Save(path);
        FidStatistics back = FidStatistics.Load(path);
        Assert.Equal(stats.Mean, back.Mean);
        Assert.Equal(stats.Covariance, back.Covariance);
        Assert.Equal([path], Directory.GetFiles(dir.Path)); // no temporary file left beside it
    }

    private static byte[] EntryBytes(string npz, string entry)
    {
        using var zip = ZipFile.OpenRead(npz);
        using var stream = zip.GetEntry(entry)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Write(string path, params (string Key, NpyArray Array)[] arrays)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (key, array) in arrays)
        {
            using var s = zip.CreateEntry(key + ".npy").Open();
            NpyFile.Write(s, array);
        }

        return path;
    }
}

using System.Collections.Concurrent;
using CycleGan.Data.Datasets;
using CycleGan.Data.Imaging;
using CycleGan.Data.Loading;

namespace CycleGan.Tests.Data;

public class BadFileTests
{
    [Theory]
    [InlineData("zero.png")]
    [InlineData("truncated.jpg")]
    [InlineData("random.png")]
    public void Each_kind_of_bad_file_is_a_bad_image_naming_it(string name)
    {
        using var dir = new TempDirectory();
        string path = dir.Combine(name);
        WriteBad(path);
        var ex = Assert.ThrowsAny<BadImageException>(() => ImageDecoder.LoadRgb(path));
        Assert.Contains(name, ex.Message);
    }

    [Fact]
    public void Whole_jpegs_decode_even_with_data_appended_but_no_cut_is_accepted()
    {
        using var dir = new TempDirectory();
        byte[] jpeg = TestImages.NoisyJpeg(32, 32, 1);
        File.WriteAllBytes(dir.Combine("whole.jpg"), jpeg);
        using (var image = ImageDecoder.LoadRgb(dir.Combine("whole.jpg")))
        {
            Assert.Equal(32, image.Width);
        }

        // Phones append whole videos after the image's end marker; that is still a good image.
        var trailer = new byte[20_000];
        new Random(3).NextBytes(trailer);
        File.WriteAllBytes(dir.Combine("appended.jpg"), [.. jpeg, .. trailer]);
        using (var image = ImageDecoder.LoadRgb(dir.Combine("appended.jpg")))
        {
            Assert.Equal(32, image.Width);
        }

        // Every cut short of the end marker is refused (a coarse sweep, plus the last byte).
        for (int cut = jpeg.Length / 8; cut < jpeg.Length; cut += Math.Max(1, jpeg.Length / 40))
        {
            File.WriteAllBytes(dir.Combine("cut.jpg"), jpeg[..cut]);
            Assert.ThrowsAny<BadImageException>(() => ImageDecoder.LoadRgb(dir.Combine("cut.jpg")));
        }

        File.WriteAllBytes(dir.Combine("cut.jpg"), jpeg[..^1]);
        Assert.ThrowsAny<BadImageException>(() => ImageDecoder.LoadRgb(dir.Combine("cut.jpg")));
    }

    [Fact]
    public void Bad_files_are_skipped_with_a_warning_and_counted()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 2, 3);
        string a = Path.Combine(root, "trainA");
        string[] bad = ["zero.png", "truncated.jpg", "random.png"];
        foreach (string name in bad)
        {
            WriteBad(Path.Combine(a, name));
        }

        File.WriteAllText(Path.Combine(a, "notes.txt"), "not an image");
        var warnings = new ConcurrentBag<string>();
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root, warn: warnings.Add));
        Assert.Equal(5, dataset.FilesA.Count);
        Assert.Equal(5, dataset.Length);

        var loader = new PrefetchLoader(dataset, new LoaderOptions { Workers = 2 });
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            var batches = loader.ReadEpoch(DatasetPosition.StartOf(epoch)).ToList();
            Assert.Equal(5, batches.Count);
            Assert.All(batches, b => Assert.Matches(@"a0[01]\.png$", b.A.Paths[0]));
        }

        Assert.Equal(bad.Select(n => Path.Combine(a, n)).Order(), dataset.BadFiles.Keys.Order());
        foreach (string name in bad)
        {
            Assert.Single(warnings, w => w.Contains(name) && w.StartsWith("skipping unreadable image", StringComparison.Ordinal));
        }

        Assert.Single(warnings, w => w.Contains("notes.txt"));
        Assert.Contains("3 unreadable file(s) skipped, 1 non-image file(s) ignored", dataset.Summary);
    }

    [Fact]
    public void A_domain_of_only_bad_files_stops_the_run()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 2, 0);
        WriteBad(Path.Combine(root, "trainB", "zero.png"));
        WriteBad(Path.Combine(root, "trainB", "random.png"));
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root));
        var loader = new PrefetchLoader(dataset, new LoaderOptions());
        var ex = Assert.Throws<IOException>(() => loader.ReadEpoch(DatasetPosition.StartOf(1)).ToList());
        Assert.Contains("unreadable", ex.Message);
        Assert.Contains(Path.Combine(root, "trainB"), ex.Message);
    }

    [Fact]
    public void A_huge_image_in_a_domain_is_skipped_with_the_reason()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 1, 1);
        File.WriteAllBytes(Path.Combine(root, "trainA", "huge.png"), TestImages.PngHeaderOnly(12_000, 12_000));
        var warnings = new ConcurrentBag<string>();
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root, warn: warnings.Add));
        var batches = new PrefetchLoader(dataset, new LoaderOptions()).ReadEpoch(DatasetPosition.StartOf(0)).ToList();
        Assert.All(batches, b => Assert.EndsWith("a00.png", b.A.Paths[0]));
        Assert.Single(warnings, w => w.Contains("huge.png") && w.Contains("12000x12000"));
    }

    private static void WriteBad(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string name = Path.GetFileName(path);
        if (name.StartsWith("zero", StringComparison.Ordinal))
        {
            File.WriteAllBytes(path, []);
        }
        else if (name.StartsWith("truncated", StringComparison.Ordinal))
        {
            byte[] jpeg = TestImages.NoisyJpeg(32, 32, 1);
            File.WriteAllBytes(path, jpeg[..(jpeg.Length / 2)]);
        }
        else
        {
            var bytes = new byte[500];
            new Random(42).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        }
    }
}

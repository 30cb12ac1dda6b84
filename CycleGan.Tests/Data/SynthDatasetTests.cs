using CycleGan.Data.Datasets;
using CycleGan.Data.Imaging;
using CycleGan.Data.Loading;
using CycleGan.Data.Makers;
using CycleGan.Data.Transforms;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Data;

public class SynthDatasetTests
{
    private static Dictionary<string, byte[]> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    [Fact]
    public void Layout_counts_and_truth_folders()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("synth");
        SynthDatasetMaker.Make(new SynthOptions { Output = root, Size = 24, Count = 6, Seed = 3 });
        Assert.Equal(["testA", "testA_truth", "testB", "testB_truth", "trainA", "trainB"],
            Directory.GetDirectories(root).Select(Path.GetFileName).Order());
        Assert.Equal(6, Directory.GetFiles(Path.Combine(root, "trainA")).Length);
        Assert.Equal(6, Directory.GetFiles(Path.Combine(root, "trainB")).Length);
        Assert.Single(Directory.GetFiles(Path.Combine(root, "testA"))); // a fifth of 6, at least 1
        foreach (string domain in new[] { "testA", "testB" })
        {
            Assert.Equal(Directory.GetFiles(Path.Combine(root, domain)).Select(Path.GetFileName),
                         Directory.GetFiles(Path.Combine(root, domain + "_truth")).Select(Path.GetFileName));
        }

        using var image = ImageDecoder.LoadRgb(Path.Combine(root, "trainA", "00000.png"));
        Assert.Equal((24, 24), (image.Width, image.Height));

        // The dataset reads it as it is.
        var dataset = new UnpairedDataset(new UnpairedDatasetOptions
        {
            Root = root,
            Transform = new TransformOptions { Preprocess = PreprocessMode.ResizeAndCrop, LoadSize = 20, CropSize = 16 },
        });
        var batch = new PrefetchLoader(dataset, new LoaderOptions { BatchSize = 3 }).ReadEpoch(DatasetPosition.StartOf(0)).First();
        Assert.Equal([3L, 3, 16, 16], batch.A.Shape);
    }

    [Fact]
    public void Same_seed_same_bytes_other_seed_other_images()
    {
        using var dir = new TempDirectory();
        SynthDatasetMaker.Make(new SynthOptions { Output = dir.Combine("one"), Size = 16, Count = 5, Seed = 8 });
        SynthDatasetMaker.Make(new SynthOptions { Output = dir.Combine("two"), Size = 16, Count = 5, Seed = 8 });
        SynthDatasetMaker.Make(new SynthOptions { Output = dir.Combine("three"), Size = 16, Count = 5, Seed = 9 });
        var one = Snapshot(dir.Combine("one"));
        var two = Snapshot(dir.Combine("two"));
        var three = Snapshot(dir.Combine("three"));
        Assert.Equal(one.Keys.Order(), two.Keys.Order());
        Assert.All(one, kv => Assert.Equal(kv.Value, two[kv.Key]));
        Assert.Equal(one.Keys.Order(), three.Keys.Order());
        Assert.True(one.Count(kv => !kv.Value.SequenceEqual(three[kv.Key])) >= one.Count - 1, "another seed changes (nearly) every image");
    }

    [Fact]
    public void Truth_is_the_same_shape_with_stripes_only_inside_it()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("synth");
        SynthDatasetMaker.Make(new SynthOptions { Output = root, Size = 64, Count = 5, TestCount = 3, Seed = 5 });
        foreach (string name in Directory.GetFiles(Path.Combine(root, "testA")).Select(f => Path.GetFileName(f)))
        {
            using var plain = ImageDecoder.LoadRgb(Path.Combine(root, "testA", name));
            using var striped = ImageDecoder.LoadRgb(Path.Combine(root, "testA_truth", name));
            Rgb24 background = plain[0, 0];
            int shapePixels = 0, changedInShape = 0, changedOutside = 0;
            for (int y = 0; y < 64; y++)
            {
                for (int x = 0; x < 64; x++)
                {
                    bool inShape = !plain[x, y].Equals(background);
                    bool changed = !plain[x, y].Equals(striped[x, y]);
                    shapePixels += inShape ? 1 : 0;
                    changedInShape += inShape && changed ? 1 : 0;
                    changedOutside += !inShape && changed ? 1 : 0;
                }
            }

            Assert.Equal(0, changedOutside);
            Assert.InRange(shapePixels, 64 * 64 / 20, 64 * 64 / 2);
            // Stripes cover roughly half the shape (alternating bands).
            Assert.InRange(changedInShape, shapePixels / 4, shapePixels * 3 / 4);
        }
    }

    [Fact]
    public void An_output_that_already_holds_a_dataset_is_refused()
    {
        using var dir = new TempDirectory();
        SynthDatasetMaker.Make(new SynthOptions { Output = dir.Path, Size = 16, Count = 1 });
        var ex = Assert.Throws<IOException>(() => SynthDatasetMaker.Make(new SynthOptions { Output = dir.Path, Size = 16, Count = 1 }));
        Assert.Contains("already holds files", ex.Message);
    }
}

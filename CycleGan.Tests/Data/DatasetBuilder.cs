using CycleGan.Data.Datasets;
using CycleGan.Data.Transforms;

namespace CycleGan.Tests.Data;

/// <summary>Writes a tiny unpaired dataset of 12x12 PNGs: red encodes the file's index, green the column and blue the
/// row, so a batch's content shows which file, which crop and whether it was flipped.</summary>
public static class DatasetBuilder
{
    public const int Size = 12;

    public static string Make(TempDirectory dir, int countA, int countB)
    {
        string root = dir.Combine("ds");
        for (int i = 0; i < countA; i++)
        {
            WritePattern(Path.Combine(root, "trainA", $"a{i:D2}.png"), (byte)(5 * i));
        }

        for (int i = 0; i < countB; i++)
        {
            WritePattern(Path.Combine(root, "trainB", $"b{i:D2}.png"), (byte)(128 + 5 * i));
        }

        return root;
    }

    /// <summary>An empty data/testA and data/testB for a test that writes its own test images; returns data/.</summary>
    public static string EmptyTestSplit(TempDirectory dir)
    {
        string data = dir.Combine("data");
        Directory.CreateDirectory(Path.Combine(data, "testA"));
        Directory.CreateDirectory(Path.Combine(data, "testB"));
        return data;
    }

    private static void WritePattern(string path, byte red)
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(Size, Size);
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                image[x, y] = new SixLabors.ImageSharp.PixelFormats.Rgb24(red, (byte)(20 * x), (byte)(20 * y));
            }
        }

        TestImages.WritePng(path, image);
    }

    /// <summary>Random 8x8 crops and flips of the 12x12 images: cheap, yet every random choice shows in the data.</summary>
    public static UnpairedDatasetOptions Options(string root, long seed = 7, bool serial = false, Action<string>? warn = null) => new()
    {
        Root = root,
        Seed = seed,
        SerialBatches = serial,
        Transform = new TransformOptions { Preprocess = PreprocessMode.Crop, CropSize = 8, LoadSize = 12 },
        Warn = warn,
    };
}

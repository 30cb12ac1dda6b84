using CycleGan.Data.Imaging;
using CycleGan.Data.Makers;

namespace CycleGan.Tests.Data;

public class FashionMnistTests
{
    /// <summary>Writes the four IDX files with 4x3 images whose pixels are 10 * index + position.</summary>
    internal static string WriteTinyIdx(TempDirectory dir, byte[] trainLabels, byte[] testLabels)
    {
        string source = dir.Combine("fm");
        Directory.CreateDirectory(source);
        foreach (var (split, labels) in new[] { ("train", trainLabels), ("t10k", testLabels) })
        {
            var pixels = new byte[labels.Length * 12];
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)(10 * (i / 12) + i % 12);
            }

            TestImages.WriteIdx(Path.Combine(source, $"{split}-images-idx3-ubyte.gz"), 0x803, [labels.Length, 3, 4], pixels);
            TestImages.WriteIdx(Path.Combine(source, $"{split}-labels-idx1-ubyte.gz"), 0x801, [labels.Length], labels);
        }

        return source;
    }

    [Fact]
    public void Two_classes_become_domains_A_and_B()
    {
        using var dir = new TempDirectory();
        string source = WriteTinyIdx(dir, [0, 7, 9, 7, 9, 1], [9, 7, 3]);
        string output = dir.Combine("out");
        string summary = FashionMnistMaker.Make(source, output, FashionMnistClasses.Parse("sneaker"), FashionMnistClasses.Parse("Ankle boot"));
        Assert.Equal(["00001.png", "00003.png"], Directory.GetFiles(Path.Combine(output, "trainA")).Select(Path.GetFileName).Order());
        Assert.Equal(["00002.png", "00004.png"], Directory.GetFiles(Path.Combine(output, "trainB")).Select(Path.GetFileName).Order());
        Assert.Equal(["00001.png"], Directory.GetFiles(Path.Combine(output, "testA")).Select(Path.GetFileName));
        Assert.Equal(["00000.png"], Directory.GetFiles(Path.Combine(output, "testB")).Select(Path.GetFileName));
        Assert.Contains("Sneaker", summary);

        using var image = ImageDecoder.LoadRgb(Path.Combine(output, "trainA", "00003.png"));
        Assert.Equal((4, 3), (image.Width, image.Height));
        Assert.Equal(30 + 0, image[0, 0].R); // image 3, position 0
        Assert.Equal(30 + 6, image[2, 1].G); // row 1, column 2 = position 6
    }

    [Fact]
    public void Missing_files_say_how_to_install_them()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnistMaker.Make(dir.Combine("none"), dir.Combine("out"), 7, 9));
        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", ex.Message);
    }

    [Fact]
    public void A_file_with_the_wrong_magic_is_refused()
    {
        using var dir = new TempDirectory();
        string source = WriteTinyIdx(dir, [7, 9], [7, 9]);
        TestImages.WriteIdx(Path.Combine(source, "train-images-idx3-ubyte.gz"), 0x801, [2], [1, 2]);
        var ex = Assert.Throws<InvalidDataException>(() => FashionMnistMaker.Make(source, dir.Combine("out"), 7, 9));
        Assert.Contains("magic", ex.Message);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("t-shirt/top", 0)]
    [InlineData("TSHIRT", 0)]
    [InlineData("trouser", 1)]
    [InlineData("Sneaker", 7)]
    [InlineData("ankle-boot", 9)]
    [InlineData("Ankle boot", 9)]
    [InlineData("9", 9)]
    public void Classes_by_name_or_index(string value, int expected) => Assert.Equal(expected, FashionMnistClasses.Parse(value));

    [Theory]
    [InlineData("10")]
    [InlineData("hat")]
    public void Unknown_classes_list_the_valid_ones(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => FashionMnistClasses.Parse(value));
        Assert.Contains("7 Sneaker", ex.Message);
    }
}

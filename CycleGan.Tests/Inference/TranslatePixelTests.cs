using CycleGan.App.Generators;
using CycleGan.App.Config;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CycleGan.Tests.Inference;

/// <summary>
/// translate's pixels against the generator applied outside the pipeline: the PNG read, normalised, run through
/// G_A and written back here by hand ((v / 255) * 2 - 1 in, round((y + 1) / 2 * 255) out), and the sizes translate
/// is asked for (--size, --max-pixels, --batch).
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class TranslatePixelTests(TrainedRunFixture fixture)
{
    /// <summary>G_A of the fixture's run on <paramref name="image"/>, as 8-bit RGB.</summary>
    private Image<Rgb24> Expected(Image<Rgb24> image)
    {
        int w = image.Width, h = image.Height;
        var data = new float[3 * h * w];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                Rgb24 p = image[x, y];
                data[(0 * h * w) + (y * w) + x] = (p.R / 255f * 2) - 1;
                data[(1 * h * w) + (y * w) + x] = (p.G / 255f * 2) - 1;
                data[(2 * h * w) + (y * w) + x] = (p.B / 255f * 2) - 1;
            }
        }

        using var model = GeneratorSource.FromRun(fixture.Run, null, torch.CPU);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        float[] output = model[Direction.AtoB].Network.call(torch.tensor(data, [1, 3, h, w])).data<float>().ToArray();
        var result = new Image<Rgb24>(w, h);
        byte Level(int c, int y, int x) => (byte)Math.Clamp(Math.Round((output[(c * h * w) + (y * w) + x] + 1) / 2 * 255, MidpointRounding.AwayFromZero), 0, 255);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                result[x, y] = new Rgb24(Level(0, y, x), Level(1, y, x), Level(2, y, x));
            }
        }

        return result;
    }

    private static int MaxDifference(Image<Rgb24> a, Image<Rgb24> b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        int worst = 0;
        for (int y = 0; y < a.Height; y++)
        {
            for (int x = 0; x < a.Width; x++)
            {
                var (p, q) = (a[x, y], b[x, y]);
                worst = Math.Max(worst, Math.Max(Math.Abs(p.R - q.R), Math.Max(Math.Abs(p.G - q.G), Math.Abs(p.B - q.B))));
            }
        }

        return worst;
    }

    private static void AssertWithin(int levels, Image<Rgb24> expected, Image<Rgb24> written) =>
        Assert.True(MaxDifference(expected, written) <= levels, $"{MaxDifference(expected, written)} levels apart");

    /// <summary>Writes <paramref name="input"/> as p.png, translates it with <paramref name="options"/> into out/ and loads the result.</summary>
    private Image<Rgb24> Translate(TempDirectory dir, Image<Rgb24> input, params string[] options)
    {
        string file = TestImages.WritePng(dir.Combine("p.png"), input);
        Assert.Equal(0, InProcessCli.Run(["translate", file, "--run", fixture.Run, .. options, "--output", dir.Combine("out")]).ExitCode);
        return Image.Load<Rgb24>(dir.Combine("out", "p_fake_B.png"));
    }

    [Fact]
    public void The_written_pixels_are_the_generator_applied_to_the_image()
    {
        using var dir = new TempDirectory();
        using var input = TestImages.Coordinates(20, 16); // sides of the network's multiple: no padding
        using var written = Translate(dir, input);
        using var expected = Expected(input);
        AssertWithin(1, expected, written); // float32 sums may cross a rounding boundary
    }

    [Fact]
    public void Size_translates_at_that_size_and_contradicts_keep_size()
    {
        using var dir = new TempDirectory();
        using var input = TestImages.Coordinates(40, 30);
        using var written = Translate(dir, input, "--size", "24");
        using var resized = input.Clone(c => c.Resize(24, 24, KnownResamplers.Bicubic));
        using var expected = Expected(resized);
        AssertWithin(1, expected, written);

        var both = InProcessCli.Run("translate", dir.Combine("p.png"), "--run", fixture.Run, "--size", "24", "--keep-size", "--output", dir.Combine("both"));
        InProcessCli.AssertRefused(both, "--size and --keep-size contradict each other: choose one", dir.Combine("both"));
    }

    [Fact]
    public void Max_pixels_translates_scaled_down_and_scales_the_result_back_up()
    {
        using var dir = new TempDirectory();
        using var input = TestImages.Coordinates(40, 32);
        // 1,280 pixels over a limit of 320: a quarter, so half of each side, 20x16
        using var written = Translate(dir, input, "--max-pixels", "320");
        Assert.Equal((40, 32), (written.Width, written.Height));
        using var small = input.Clone(c => c.Resize(20, 16, KnownResamplers.Bicubic));
        using var expected = Expected(small);
        expected.Mutate(c => c.Resize(40, 32, KnownResamplers.Bicubic));
        // (1 level apart at 20x16 may become 2 after the scaling back rounds)
        AssertWithin(2, expected, written);
        using var fullSize = Expected(input);
        Assert.True(MaxDifference(fullSize, written) > 2, "the image was translated at its own size");
    }

    [Fact]
    public void A_batch_of_three_gives_the_images_of_three_batches_of_one()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 3; i++)
        {
            using var image = TestImages.Coordinates(20, 16);
            image.Mutate(c => c.Rotate(i == 1 ? RotateMode.Rotate180 : RotateMode.None).Brightness(1f - (0.2f * i)));
            TestImages.WritePng(dir.Combine("in", $"{i}.png"), image);
        }

        Assert.Equal(0, InProcessCli.Run("translate", dir.Combine("in"), "--run", fixture.Run, "--batch", "3", "--output", dir.Combine("three")).ExitCode);
        Assert.Equal(0, InProcessCli.Run("translate", dir.Combine("in"), "--run", fixture.Run, "--batch", "1", "--output", dir.Combine("one")).ExitCode);
        for (int i = 0; i < 3; i++)
        {
            using var three = Image.Load<Rgb24>(dir.Combine("three", $"{i}_fake_B.png"));
            using var one = Image.Load<Rgb24>(dir.Combine("one", $"{i}_fake_B.png"));
            using var input = Image.Load<Rgb24>(dir.Combine("in", $"{i}.png"));
            using var expected = Expected(input);
            // each image of the batch is its own translation (not another image's, not batch statistics)
            Assert.True(MaxDifference(one, three) <= 1, $"image {i}: {MaxDifference(one, three)} levels apart");
            Assert.True(MaxDifference(expected, three) <= 1, $"image {i}: {MaxDifference(expected, three)} levels from G(x)");
        }
    }
}

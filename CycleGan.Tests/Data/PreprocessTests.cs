using CycleGan.Data.Imaging;
using CycleGan.Data.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Data;

public class PreprocessTests
{
    // Expected sizes worked out by hand from the reference's rules for a 40x30 image (see docs/data.md).
    [Theory]
    [InlineData("resize_and_crop", 32, 24, 40, 30, 24, 24)]
    [InlineData("resize_and_crop", 24, 24, 40, 30, 24, 24)]
    [InlineData("crop", 0, 16, 40, 30, 16, 16)]
    [InlineData("crop", 0, 30, 40, 30, 30, 30)]
    [InlineData("scale_width", 20, 8, 40, 30, 20, 15)] // 20 * 30 / 40 = 15
    [InlineData("scale_width", 20, 16, 40, 30, 20, 16)] // height raised to crop_size
    [InlineData("scale_width", 40, 16, 40, 30, 40, 30)] // already load_size wide: unchanged
    [InlineData("scale_width", 30, 8, 40, 30, 30, 22)] // 22.5 truncated
    [InlineData("scale_width_and_crop", 24, 16, 40, 30, 16, 16)]
    [InlineData("none", 0, 0, 40, 30, 40, 32)] // 7.5 rounds to even 8
    [InlineData("none", 0, 0, 42, 26, 40, 24)] // 10.5 -> 10, 6.5 -> 6
    [InlineData("none", 0, 0, 38, 30, 40, 32)] // 9.5 -> 10
    [InlineData("none", 0, 0, 44, 28, 44, 28)]
    [InlineData("none", 0, 0, 1, 1, 4, 4)] // never empty
    public void Output_size(string mode, int load, int crop, int width, int height, int expectedWidth, int expectedHeight)
    {
        var options = new TransformOptions { Preprocess = PreprocessModes.Parse(mode), LoadSize = Math.Max(load, crop), CropSize = Math.Max(crop, 1) };
        using var image = TestImages.Coordinates(width, height);
        var random = new SampleRandom(5);
        ImageTransform.Apply(image, options, ref random, "test.png");
        Assert.Equal((expectedWidth, expectedHeight), (image.Width, image.Height));
        Assert.Equal((expectedWidth, expectedHeight), ImageTransform.OutputSize(width, height, options));
    }

    [Fact]
    public void Crop_takes_an_unscaled_window_and_crops_vary_with_the_seed()
    {
        var options = new TransformOptions { Preprocess = PreprocessMode.Crop, CropSize = 16, NoFlip = true };
        var offsets = new HashSet<(int, int)>();
        for (ulong seed = 0; seed < 20; seed++)
        {
            using var image = TestImages.Coordinates();
            var random = new SampleRandom(seed);
            ImageTransform.Apply(image, options, ref random, "test.png");
            int x0 = image[0, 0].R / 6, y0 = image[0, 0].G / 8;
            Assert.InRange(x0, 0, 40 - 16);
            Assert.InRange(y0, 0, 30 - 16);
            for (int y = 0; y < 16; y++)
            {
                for (int x = 0; x < 16; x++)
                {
                    Assert.Equal(new Rgb24((byte)((x0 + x) * 6), (byte)((y0 + y) * 8), 100), image[x, y]);
                }
            }

            offsets.Add((x0, y0));
        }

        Assert.True(offsets.Count > 5, $"only {offsets.Count} distinct crops in 20 seeds");
    }

    [Fact]
    public void Flip_mirrors_about_half_the_time_and_never_with_no_flip()
    {
        int flipped = 0;
        for (ulong seed = 0; seed < 40; seed++)
        {
            foreach (bool noFlip in new[] { false, true })
            {
                using var image = TestImages.Coordinates();
                var random = new SampleRandom(seed);
                ImageTransform.Apply(image, new TransformOptions { Preprocess = PreprocessMode.Crop, CropSize = 30, NoFlip = noFlip }, ref random, "t.png");
                bool mirrored = image[0, 0].R > image[29, 0].R;
                Assert.Equal(29 * 6, Math.Abs(image[0, 0].R - image[29, 0].R));
                if (noFlip)
                {
                    Assert.False(mirrored);
                }
                else if (mirrored)
                {
                    flipped++;
                }
            }
        }

        Assert.InRange(flipped, 10, 30);
    }

    [Fact]
    public void Resize_keeps_a_flat_colour_flat_and_halves_stay_apart()
    {
        using var image = new Image<Rgb24>(40, 30);
        for (int y = 0; y < 30; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                image[x, y] = x < 20 ? new Rgb24(200, 10, 10) : new Rgb24(10, 10, 200);
            }
        }

        var random = new SampleRandom(1);
        ImageTransform.Apply(image, new TransformOptions { Preprocess = PreprocessMode.ResizeAndCrop, LoadSize = 64, CropSize = 64, NoFlip = true }, ref random, "t.png");
        Assert.Equal((64, 64), (image.Width, image.Height));
        Assert.Equal(new Rgb24(200, 10, 10), image[3, 40]);
        Assert.Equal(new Rgb24(10, 10, 200), image[60, 10]);
    }

    [Fact]
    public void Crop_larger_than_the_image_is_an_error_naming_the_file()
    {
        using var image = TestImages.Coordinates();
        var random = new SampleRandom(1);
        var ex = Assert.Throws<InvalidDataException>(() =>
            ImageTransform.Apply(image, new TransformOptions { Preprocess = PreprocessMode.Crop, CropSize = 32 }, ref random, "small.png"));
        Assert.Contains("small.png", ex.Message);
        Assert.Contains("40x30", ex.Message);
    }

    [Theory]
    [InlineData("resize_and_crop", 200, 256)]
    [InlineData("scale_width_and_crop", 100, 128)]
    public void Load_size_below_crop_size_is_refused(string mode, int load, int crop)
    {
        var options = new TransformOptions { Preprocess = PreprocessModes.Parse(mode), LoadSize = load, CropSize = crop };
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void Unknown_mode_lists_the_valid_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => PreprocessModes.Parse("zoom"));
        Assert.Contains("resize_and_crop, crop, scale_width, scale_width_and_crop, none", ex.Message);
    }

    [Fact]
    public void Normalisation_maps_0_to_minus_1_and_255_to_1()
    {
        using var image = new Image<Rgb24>(3, 1);
        image[0, 0] = new Rgb24(0, 255, 51);
        image[1, 0] = new Rgb24(255, 0, 102);
        image[2, 0] = new Rgb24(128, 128, 128);
        var chw = new float[9];
        PixelConversion.ToNormalizedChw(image, 3, chw);
        float[] expected = [-1f, 1f, 128 / 127.5f - 1, 1f, -1f, 128 / 127.5f - 1, 51 / 127.5f - 1, 102 / 127.5f - 1, 128 / 127.5f - 1];
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], chw[i], 1e-6f);
        }
    }
}

using CycleGan.Data.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Data;

public class DecodingTests
{
    private static void AssertNear(Rgb24 expected, Rgb24 actual, int tolerance)
    {
        Assert.True(Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance && Math.Abs(expected.B - actual.B) <= tolerance,
            $"expected {expected} within {tolerance}, got {actual}");
    }

    [Fact]
    public void Exif_orientation_is_applied()
    {
        using var dir = new TempDirectory();
        // Stored 16x8: left half red, right half blue. Orientation 6 means "rotate 90 degrees clockwise to display",
        // which puts the stored left side on top: displayed 8x16, red above blue.
        using (var image = new Image<Rgb24>(16, 8))
        {
            for (int y = 0; y < 8; y++)
            {
                for (int x = 0; x < 16; x++)
                {
                    image[x, y] = x < 8 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
                }
            }

            image.Metadata.ExifProfile = new ExifProfile();
            image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
            image.SaveAsJpeg(dir.Combine("rotated.jpg"), new JpegEncoder { Quality = 100 });
        }

        using var decoded = ImageDecoder.LoadRgb(dir.Combine("rotated.jpg"));
        Assert.Equal((8, 16), (decoded.Width, decoded.Height));
        AssertNear(new Rgb24(255, 0, 0), decoded[4, 2], 40);
        AssertNear(new Rgb24(0, 0, 255), decoded[4, 13], 40);
        Assert.Equal((8, 16), ImageDecoder.Identify(dir.Combine("rotated.jpg")));
    }

    [Fact]
    public void Transparency_is_composited_over_white()
    {
        using var dir = new TempDirectory();
        using (var image = new Image<Rgba32>(3, 1))
        {
            image[0, 0] = new Rgba32(255, 0, 0, 0); // fully transparent red: white
            image[1, 0] = new Rgba32(255, 0, 0, 255); // opaque red
            image[2, 0] = new Rgba32(0, 0, 0, 128); // half-transparent black: 255 * 127 / 255 = 127
            image.SaveAsPng(dir.Combine("alpha.png"), new PngEncoder { ColorType = PngColorType.RgbWithAlpha });
        }

        using var decoded = ImageDecoder.LoadRgb(dir.Combine("alpha.png"));
        Assert.Equal(new Rgb24(255, 255, 255), decoded[0, 0]);
        Assert.Equal(new Rgb24(255, 0, 0), decoded[1, 0]);
        Assert.Equal(new Rgb24(127, 127, 127), decoded[2, 0]);
    }

    [Fact]
    public void Grayscale_becomes_three_equal_channels()
    {
        using var dir = new TempDirectory();
        using (var image = new Image<L8>(2, 1))
        {
            image[0, 0] = new L8(30);
            image[1, 0] = new L8(200);
            image.SaveAsPng(dir.Combine("gray.png"), new PngEncoder { ColorType = PngColorType.Grayscale });
        }

        using var decoded = ImageDecoder.LoadRgb(dir.Combine("gray.png"));
        var chw = new float[6];
        PixelConversion.ToNormalizedChw(decoded, 3, chw);
        float dark = 30 / 127.5f - 1, light = 200 / 127.5f - 1;
        float[] expected = [dark, light, dark, light, dark, light];
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expected[i], chw[i], 1e-6f);
        }
    }

    [Fact]
    public void Rgb_to_one_channel_uses_the_601_luma()
    {
        using var image = new Image<Rgb24>(3, 1);
        image[0, 0] = new Rgb24(255, 0, 0);
        image[1, 0] = new Rgb24(0, 255, 0);
        image[2, 0] = new Rgb24(0, 0, 255);
        var chw = new float[3];
        PixelConversion.ToNormalizedChw(image, 1, chw);
        // 0.299 * 255 = 76.2, 0.587 * 255 = 149.7, 0.114 * 255 = 29.1, rounded
        float[] expected = [76 / 127.5f - 1, 150 / 127.5f - 1, 29 / 127.5f - 1];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], chw[i], 1e-6f);
        }
    }

    [Fact]
    public void Sixteen_bit_and_palette_pngs_become_8_bit_rgb()
    {
        using var dir = new TempDirectory();
        using (var deep = new Image<Rgb48>(1, 1))
        {
            deep[0, 0] = new Rgb48(65535, 32896, 0); // 32896 = 128 * 257
            deep.SaveAsPng(dir.Combine("deep.png"), new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb });
        }

        using (var few = new Image<Rgb24>(2, 1))
        {
            few[0, 0] = new Rgb24(0, 128, 255);
            few[1, 0] = new Rgb24(255, 255, 0);
            few.SaveAsPng(dir.Combine("palette.png"), new PngEncoder { ColorType = PngColorType.Palette });
        }

        using var a = ImageDecoder.LoadRgb(dir.Combine("deep.png"));
        Assert.Equal(new Rgb24(255, 128, 0), a[0, 0]);
        using var b = ImageDecoder.LoadRgb(dir.Combine("palette.png"));
        Assert.Equal(new Rgb24(0, 128, 255), b[0, 0]);
        Assert.Equal(new Rgb24(255, 255, 0), b[1, 0]);
    }

    [Fact]
    public void Cmyk_tiff_is_a_bad_image_with_the_reason()
    {
        // ImageSharp 2.1 reads CMYK JPEGs but not CMYK ("separated") TIFFs: such a file is skipped, saying why.
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine("cmyk.tiff"), TiffFiles.Cmyk(4, 1, [255, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 0]));
        var ex = Assert.ThrowsAny<BadImageException>(() => ImageDecoder.LoadRgb(dir.Combine("cmyk.tiff")));
        Assert.Contains("cmyk.tiff", ex.Message);
        Assert.Contains("Separated", ex.Message);
    }

    [Fact]
    public void Gif_first_frame_bmp_tiff_and_lossless_webp_decode()
    {
        using var dir = new TempDirectory();
        using (var gif = new Image<Rgba32>(2, 2, new Rgba32(255, 0, 0)))
        {
            using var second = new Image<Rgba32>(2, 2, new Rgba32(0, 0, 255));
            gif.Frames.AddFrame(second.Frames.RootFrame);
            gif.SaveAsGif(dir.Combine("anim.gif"), new GifEncoder());
        }

        using (var plain = new Image<Rgb24>(2, 2, new Rgb24(10, 200, 30)))
        {
            plain.SaveAsBmp(dir.Combine("p.bmp"));
            plain.SaveAsTiff(dir.Combine("p.tiff"), new TiffEncoder());
            plain.SaveAsWebp(dir.Combine("p.webp"), new WebpEncoder { FileFormat = WebpFileFormatType.Lossless });
        }

        using var first = ImageDecoder.LoadRgb(dir.Combine("anim.gif"));
        Assert.Equal(1, first.Frames.Count);
        Assert.Equal(new Rgb24(255, 0, 0), first[1, 1]);
        foreach (string name in new[] { "p.bmp", "p.tiff", "p.webp" })
        {
            using var decoded = ImageDecoder.LoadRgb(dir.Combine(name));
            Assert.Equal(new Rgb24(10, 200, 30), decoded[1, 1]);
        }
    }

    [Fact]
    public void Huge_header_dimensions_are_refused_before_decoding()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine("huge.png");
        File.WriteAllBytes(path, TestImages.PngHeaderOnly(100_000, 100_000));
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.LoadRgb(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("100000x100000", ex.Message);
        Assert.Contains("huge.png", ex.Message);
        Assert.True(allocated < 4 << 20, $"{allocated} bytes allocated while refusing");

        // 12000x12000 (the example) is over the default bound; the bound is configurable.
        File.WriteAllBytes(path, TestImages.PngHeaderOnly(12_000, 12_000));
        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.LoadRgb(path));
        File.WriteAllBytes(path, TestImages.PngHeaderOnly(100, 100));
        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.LoadRgb(path, new DecodeOptions { MaxPixels = 9_999 }));
        var other = Assert.ThrowsAny<BadImageException>(() => ImageDecoder.LoadRgb(path, new DecodeOptions { MaxPixels = 10_000 }));
        Assert.IsNotType<ImageTooLargeException>(other); // within the bound; fails only because the file has no pixel data
    }
}

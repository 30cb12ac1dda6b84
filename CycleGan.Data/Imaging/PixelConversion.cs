using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Data.Imaging;

/// <summary>8-bit pixels to and from network values in [-1, 1], laid out channel-major (CHW).</summary>
public static class PixelConversion
{
    private const float Scale = 2f / 255f;

    /// <summary>Luma as PIL's convert('L') (ITU-R 601-2, 16-bit fixed point), which transforms.Grayscale uses.</summary>
    public static byte Luma(Rgb24 p) => (byte)((p.R * 19595 + p.G * 38470 + p.B * 7471 + 0x8000) >> 16);

    /// <summary>Writes the image into <paramref name="chw"/> as v / 127.5 - 1 (the reference's Normalize(0.5, 0.5));
    /// with one channel, the luma.</summary>
    public static void ToNormalizedChw(Image<Rgb24> image, int channels, Span<float> chw)
    {
        int w = image.Width, h = image.Height, plane = w * h;
        if (channels is not (1 or 3) || chw.Length != channels * plane)
        {
            throw new ArgumentException($"destination holds {chw.Length} values, a {channels}-channel {w}x{h} image needs {channels * plane}");
        }

        Rgb24[] rented = ArrayPool<Rgb24>.Shared.Rent(plane);
        try
        {
            Span<Rgb24> pixels = rented.AsSpan(0, plane);
            image.CopyPixelDataTo(pixels);
            if (channels == 3)
            {
                Span<float> r = chw[..plane], g = chw.Slice(plane, plane), b = chw.Slice(2 * plane, plane);
                for (int i = 0; i < plane; i++)
                {
                    r[i] = pixels[i].R * Scale - 1f;
                    g[i] = pixels[i].G * Scale - 1f;
                    b[i] = pixels[i].B * Scale - 1f;
                }
            }
            else
            {
                for (int i = 0; i < plane; i++)
                {
                    chw[i] = Luma(pixels[i]) * Scale - 1f;
                }
            }
        }
        finally
        {
            ArrayPool<Rgb24>.Shared.Return(rented);
        }
    }

    /// <summary>Network values back to 8 bits: (v + 1) * 127.5, rounded and clamped to [0, 255]; NaN becomes 0.
    /// One channel gives a gray RGB image.</summary>
    public static Image<Rgb24> FromNormalizedChw(ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        if (channels is not (1 or 3))
        {
            throw new ArgumentException($"an image has 1 or 3 channels, not {channels}");
        }

        int plane = width * height;
        if (width < 1 || height < 1 || chw.Length != channels * plane)
        {
            throw new ArgumentException($"{chw.Length} values do not make a {channels}x{height}x{width} image");
        }

        var pixels = new Rgb24[plane];
        for (int i = 0; i < plane; i++)
        {
            byte r = ToByte(chw[i]);
            pixels[i] = channels == 3 ? new Rgb24(r, ToByte(chw[plane + i]), ToByte(chw[2 * plane + i])) : new Rgb24(r, r, r);
        }

        return Image.LoadPixelData<Rgb24>(ImageDecoder.Config, pixels, width, height);
    }

    public static byte ToByte(float v)
    {
        float s = (v + 1f) * 127.5f;
        if (!(s > 0f))
        {
            return 0; // negative or NaN
        }

        return s >= 255f ? (byte)255 : (byte)MathF.Round(s, MidpointRounding.AwayFromZero);
    }
}

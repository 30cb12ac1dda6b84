using CycleGan.Data.Transforms;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Data.Makers;

public enum ShapeKind
{
    Circle,
    Square,
    Triangle,
}

/// <summary>
/// One picture of the synthetic dataset: a shape on a plain background. Domain A draws it in one flat colour; domain B
/// draws the same shape covered in diagonal stripes. Rendering is a pure function of the record, so the hidden pair of
/// any image (its other-domain version) can be drawn exactly.
/// </summary>
public sealed record SynthShape(ShapeKind Kind, double CenterX, double CenterY, double Radius, double Angle, Rgb24 Fill, Rgb24 Background)
{
    /// <summary>Stripe period as a fraction of the image size.</summary>
    public const double StripePeriod = 1.0 / 8;

    /// <summary>A random shape; coordinates are fractions of the image size.</summary>
    public static SynthShape Random(ref SampleRandom random)
    {
        var kind = (ShapeKind)random.Next(3);
        double radius = 0.18 + 0.14 * random.NextDouble();
        double cx = radius + (1 - 2 * radius) * random.NextDouble();
        double cy = radius + (1 - 2 * radius) * random.NextDouble();
        double angle = random.NextDouble() * Math.PI * 2;
        Rgb24 fill = FromHue(random.NextDouble(), 0.75, 0.85);
        byte grey = (byte)(200 + random.Next(45));
        Rgb24 background = new(grey, (byte)Math.Min(255, grey + random.Next(10)), (byte)Math.Min(255, grey + random.Next(10)));
        return new SynthShape(kind, cx, cy, radius, angle, fill, background);
    }

    /// <summary>The stripe colour: the fill darkened to a quarter, so stripes read as texture on the same object.</summary>
    public Rgb24 StripeColor => new((byte)(Fill.R / 4), (byte)(Fill.G / 4), (byte)(Fill.B / 4));

    /// <summary>Draws the shape at <paramref name="size"/> x <paramref name="size"/> pixels, 2x2 supersampled.</summary>
    public Image<Rgb24> Render(int size, bool striped)
    {
        var pixels = new Rgb24[size * size];
        Rgb24 stripe = StripeColor;
        for (int py = 0; py < size; py++)
        {
            for (int px = 0; px < size; px++)
            {
                int r = 0, g = 0, b = 0;
                for (int s = 0; s < 4; s++)
                {
                    double x = (px + 0.25 + 0.5 * (s & 1)) / size, y = (py + 0.25 + 0.5 * (s >> 1)) / size;
                    Rgb24 c = !Contains(x, y) ? Background
                        : striped && ((int)Math.Floor((x + y) / StripePeriod) & 1) == 1 ? stripe
                        : Fill;
                    r += c.R;
                    g += c.G;
                    b += c.B;
                }

                pixels[py * size + px] = new Rgb24((byte)((r + 2) / 4), (byte)((g + 2) / 4), (byte)((b + 2) / 4));
            }
        }

        return Image.LoadPixelData<Rgb24>(pixels, size, size);
    }

    /// <summary>Whether the point (in image fractions) lies inside the shape.</summary>
    public bool Contains(double x, double y)
    {
        double dx = x - CenterX, dy = y - CenterY;
        double cos = Math.Cos(-Angle), sin = Math.Sin(-Angle);
        double u = dx * cos - dy * sin, v = dx * sin + dy * cos;
        switch (Kind)
        {
            case ShapeKind.Circle:
                return u * u + v * v <= Radius * Radius;
            case ShapeKind.Square:
                double half = Radius * 0.8;
                return Math.Abs(u) <= half && Math.Abs(v) <= half;
            default:
                // Equilateral triangle with circumradius Radius: inside all three edges' half-planes.
                for (int k = 0; k < 3; k++)
                {
                    double theta = k * 2 * Math.PI / 3;
                    if (u * Math.Cos(theta) + v * Math.Sin(theta) > Radius / 2)
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    private static Rgb24 FromHue(double hue, double saturation, double value)
    {
        double h = hue * 6, c = value * saturation, x = c * (1 - Math.Abs(h % 2 - 1)), m = value - c;
        (double r, double g, double b) = (int)h switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new Rgb24((byte)Math.Round((r + m) * 255), (byte)Math.Round((g + m) * 255), (byte)Math.Round((b + m) * 255));
    }
}

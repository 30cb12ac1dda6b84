using CycleGan.App.Inference;
using Xunit;

namespace CycleGan.Tests.Inference;

/// <summary>The metrics against values worked out by hand from their definitions.</summary>
public sealed class ImageMetricsTests
{
    [Fact]
    public void PsnrOfAUniformErrorOfATenthIsTwentyDecibels()
    {
        float[] a = Enumerable.Repeat(0.5f, 48).ToArray();
        float[] b = a.Select(v => v + 0.1f).ToArray();
        Assert.Equal(20.0, ImageMetrics.Psnr(a, b), 4); // MSE 0.01 -> 10 log10(100)
        Assert.Equal(0.1, ImageMetrics.MeanAbsoluteError(a, b), 6);
        Assert.Equal(double.PositiveInfinity, ImageMetrics.Psnr(a, a));
    }

    [Fact]
    public void SsimOfIdenticalImagesIsOne()
    {
        var random = new Random(4);
        float[] a = Enumerable.Range(0, 3 * 20 * 17).Select(_ => (float)random.NextDouble()).ToArray();
        Assert.Equal(1.0, ImageMetrics.Ssim(a, a, 3, 20, 17), 12);
    }

    [Fact]
    public void SsimOfTwoFlatImagesIsTheLuminanceTerm()
    {
        // no variance anywhere: the structure term is (0 + C2) / (0 + C2) = 1, leaving (2 x y + C1) / (x^2 + y^2 + C1)
        const double x = 0.2, y = 0.6, c1 = 0.01 * 0.01;
        float[] a = Enumerable.Repeat((float)x, 16 * 16).ToArray();
        float[] b = Enumerable.Repeat((float)y, 16 * 16).ToArray();
        double expected = (2 * x * y + c1) / (x * x + y * y + c1);
        Assert.Equal(expected, ImageMetrics.Ssim(a, b, 1, 16, 16), 5);
    }

    [Fact]
    public void SsimFallsWithNoiseAndIsSymmetric()
    {
        var random = new Random(9);
        float[] a = Enumerable.Range(0, 32 * 32).Select(i => (float)(0.5 + 0.4 * Math.Sin(i % 32 / 3.0))).ToArray();
        float[] little = a.Select(v => v + (float)(random.NextDouble() - 0.5) * 0.05f).ToArray();
        float[] much = a.Select(v => v + (float)(random.NextDouble() - 0.5) * 0.5f).ToArray();
        double s1 = ImageMetrics.Ssim(a, little, 1, 32, 32), s2 = ImageMetrics.Ssim(a, much, 1, 32, 32);
        Assert.True(s1 < 1 && s2 < s1, $"ssim {s1} then {s2}");
        Assert.Equal(s1, ImageMetrics.Ssim(little, a, 1, 32, 32), 12);
    }

    [Fact]
    public void ImagesOfDifferentSizesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ImageMetrics.Psnr(new float[4], new float[5]));
    }
}

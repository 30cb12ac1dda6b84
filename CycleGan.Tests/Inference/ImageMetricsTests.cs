using System.Text.Json;
using CycleGan.App.Inference;

namespace CycleGan.Tests.Inference;

/// <summary>The metrics against values worked out by hand from their definitions, and against scikit-image's.</summary>
public sealed class ImageMetricsTests
{
    public static TheoryData<string> FixtureCases() => new(Fixture().RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    /// <summary>
    /// scikit-image 0.19's structural_similarity (Gaussian window 11, sigma 1.5, K1 0.01, K2 0.03, population
    /// covariance, data range 1) and peak_signal_noise_ratio on the same float32 images
    /// (scripts/interop/make_metric_fixtures.py). Both sides compute in float64 from the same values and differ only in
    /// summation order (scikit-image filters separably, over the whole image), so they agree to about 1e-15; a changed
    /// constant, window size or sigma, or sample instead of population covariance, moves SSIM by 1e-4 or more.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixtureCases))]
    public void SsimAndPsnrEqualScikitImages(string name)
    {
        JsonElement c = Fixture().RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        int channels = c.GetProperty("channels").GetInt32(), height = c.GetProperty("height").GetInt32(), width = c.GetProperty("width").GetInt32();
        float[] a = c.GetProperty("a").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        float[] b = c.GetProperty("b").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(channels * height * width, a.Length);

        Assert.Equal(c.GetProperty("ssim").GetDouble(), ImageMetrics.Ssim(a, b, channels, height, width), 1e-12);
        Assert.Equal(c.GetProperty("psnr").GetDouble(), ImageMetrics.Psnr(a, b), 1e-10);
        Assert.Equal(c.GetProperty("mae").GetDouble(), ImageMetrics.MeanAbsoluteError(a, b), 1e-12);
    }

    private static JsonDocument Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inference", "Fixtures", "image_metrics.json")));

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

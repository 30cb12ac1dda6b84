namespace CycleGan.App.Inference;

/// <summary>
/// Image quality against a ground truth, on CHW float images with values in [0, 1]: mean absolute error, PSNR and
/// SSIM (Wang et al. 2004: 11x11 Gaussian window with sigma 1.5, K1 0.01, K2 0.03, population covariances, over the
/// positions where the window fits, averaged over channels). That is scikit-image's structural_similarity with
/// gaussian_weights=True, use_sample_covariance=False, data_range=1 (not its defaults); the tests pin it to values
/// scikit-image computed (scripts/interop/make_metric_fixtures.py).
/// </summary>
public static class ImageMetrics
{
    public const int Window = 11;
    public const double Sigma = 1.5, K1 = 0.01, K2 = 0.03;

    public static double MeanAbsoluteError(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Same(a, b);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs((double)a[i] - b[i]); // in double: a float difference would round away the small errors
        }

        return sum / a.Length;
    }

    /// <summary>Peak signal-to-noise ratio in dB for a peak of 1; infinite for identical images.</summary>
    public static double Psnr(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Same(a, b);
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }

        double mse = sum / a.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(1 / mse);
    }

    public static double Ssim(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int channels, int height, int width)
    {
        Same(a, b);
        if (a.Length != channels * height * width)
        {
            throw new ArgumentException($"{a.Length} values are not a {channels}x{height}x{width} image");
        }

        // images smaller than the window use a window as large as they allow (odd), as common implementations do
        int size = Math.Min(Window, Math.Min(height, width) | 1);
        if (size > Math.Min(height, width))
        {
            size -= 2;
        }

        if (size < 1)
        {
            throw new ArgumentException("SSIM needs an image of at least 1x1");
        }

        double[] kernel = Gaussian(size);
        int plane = height * width;
        double total = 0;
        for (int c = 0; c < channels; c++)
        {
            total += PlaneSsim(a.Slice(c * plane, plane), b.Slice(c * plane, plane), height, width, kernel);
        }

        return total / channels;
    }

    private static double PlaneSsim(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int h, int w, double[] kernel)
    {
        const double c1 = K1 * K1, c2 = K2 * K2;
        int k = kernel.Length, oh = h - k + 1, ow = w - k + 1;
        double sum = 0;
        for (int i = 0; i < oh; i++)
        {
            for (int j = 0; j < ow; j++)
            {
                double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                for (int u = 0; u < k; u++)
                {
                    for (int v = 0; v < k; v++)
                    {
                        double g = kernel[u] * kernel[v];
                        double px = x[(i + u) * w + j + v], py = y[(i + u) * w + j + v];
                        mx += g * px;
                        my += g * py;
                        xx += g * px * px;
                        yy += g * py * py;
                        xy += g * px * py;
                    }
                }

                double vx = xx - mx * mx, vy = yy - my * my, cov = xy - mx * my;
                sum += (2 * mx * my + c1) * (2 * cov + c2) / ((mx * mx + my * my + c1) * (vx + vy + c2));
            }
        }

        return sum / (oh * ow);
    }

    private static double[] Gaussian(int size)
    {
        var g = new double[size];
        int r = size / 2;
        for (int i = 0; i < size; i++)
        {
            g[i] = Math.Exp(-((i - r) * (i - r)) / (2 * Sigma * Sigma));
        }

        double s = g.Sum();
        return g.Select(v => v / s).ToArray();
    }

    private static void Same(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException($"images differ in size ({a.Length} and {b.Length} values)");
        }
    }
}

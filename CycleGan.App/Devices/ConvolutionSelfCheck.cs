using CycleGan.App.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.App.Devices;

/// <summary>
/// Small float32 convolutions against float64, through the same routing the layers use: Conv2d's output, input
/// gradient and weight gradient, and the same for ConvTranspose2d. The shapes cover the kernels oneDNN chooses among
/// (one, few and many channels, 3x3, 4x4 and 7x7 kernels, strides 1 and 2, groups, the one-channel PatchGAN head) at
/// sizes that keep the whole check to milliseconds.
/// </summary>
public static class ConvolutionSelfCheck
{
    private static readonly (long N, long C, long O, long H, long W, long K, long S, long P, long G, bool Transposed)[] Cases =
    [
        (2, 4, 3, 7, 6, 3, 1, 1, 1, false), (1, 16, 8, 9, 9, 3, 1, 1, 1, false), (2, 3, 5, 6, 5, 3, 1, 0, 1, false),
        (1, 8, 8, 5, 5, 3, 2, 1, 1, false), (1, 3, 16, 12, 12, 7, 1, 0, 1, false), (1, 32, 64, 8, 8, 3, 1, 1, 1, false),
        (1, 16, 32, 10, 10, 4, 2, 1, 1, false), (1, 64, 1, 6, 6, 4, 1, 1, 1, false), (2, 1, 4, 9, 8, 4, 2, 1, 1, false),
        (1, 1, 8, 12, 12, 7, 1, 0, 1, false), (1, 4, 8, 6, 5, 3, 1, 1, 4, false),
        (2, 4, 3, 7, 6, 3, 1, 1, 1, true), (1, 16, 8, 9, 9, 3, 1, 1, 1, true), (1, 8, 8, 5, 5, 3, 2, 1, 1, true),
        (1, 32, 16, 6, 6, 3, 2, 1, 1, true), (1, 16, 3, 8, 8, 4, 2, 1, 1, true), (1, 1, 4, 5, 5, 3, 1, 1, 1, true),
        (2, 4, 2, 5, 3, 3, 1, 1, 2, true), (1, 8, 1, 5, 5, 3, 2, 1, 1, true),
    ];

    /// <summary>The largest relative error (max |float32 - float64| / max |float64|) over all cases and results; NaN counts as infinite.</summary>
    public static double Error(bool channelsLast)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(20261204);
        double worst = 0;
        foreach (var c in Cases)
        {
            long[] weightShape = c.Transposed ? [c.C, c.O / c.G, c.K, c.K] : [c.O, c.C / c.G, c.K, c.K];
            Tensor x64 = (torch.rand([c.N, c.C, c.H, c.W], dtype: ScalarType.Float64, generator: generator) - 0.5).requires_grad_();
            Tensor w64 = (torch.rand(weightShape, dtype: ScalarType.Float64, generator: generator) - 0.5).requires_grad_();
            Tensor x32 = x64.detach().to(ScalarType.Float32).requires_grad_();
            Tensor w32 = w64.detach().to(ScalarType.Float32).requires_grad_();
            Tensor y64 = Convolve(c, x64, w64, channelsLast);
            Tensor y32 = Convolve(c, x32, w32, channelsLast);
            Tensor upstream = torch.rand(y64.shape, dtype: ScalarType.Float64, generator: generator) - 0.5;
            y64.backward([upstream]);
            y32.backward([upstream.to(ScalarType.Float32)]);
            worst = Math.Max(worst, RelativeError(y32, y64));
            worst = Math.Max(worst, RelativeError(x32.grad!, x64.grad!));
            worst = Math.Max(worst, RelativeError(w32.grad!, w64.grad!));
        }

        return worst;
    }

    /// <summary>max |actual - exact| / max |exact|, infinite where the actual values hold NaN.</summary>
    public static double RelativeError(Tensor actual, Tensor exact)
    {
        double difference = (actual.to(ScalarType.Float64) - exact.to(ScalarType.Float64)).abs().max().item<double>();
        double error = difference / Math.Max(exact.abs().max().item<double>(), 1e-30);
        return double.IsNaN(error) ? double.PositiveInfinity : error;
    }

    private static Tensor Convolve((long N, long C, long O, long H, long W, long K, long S, long P, long G, bool Transposed) c, Tensor x, Tensor w, bool channelsLast) =>
        c.Transposed
            ? ConvolutionLayout.ConvTranspose2d(x, w, null, [c.S, c.S], [c.P, c.P], [c.S - 1, c.S - 1], [1, 1], c.G, channelsLast)
            : ConvolutionLayout.Conv2d(x, w, null, [c.S, c.S], [c.P, c.P], [1, 1], c.G, channelsLast);
}

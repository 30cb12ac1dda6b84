using CycleGan.App.Layers;

namespace CycleGan.App.Devices;

/// <summary>
/// Small float32 convolutions against float64: Conv2d's output, input gradient and weight gradient, and the same for
/// ConvTranspose2d. The shapes cover the kernels oneDNN chooses among
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

    /// <summary>
    /// The largest relative error over all cases and results (see <see cref="ConvolutionLayout.Error"/>) on the given
    /// kernels, or, without, on the kernels each case's configuration is routed to.
    /// </summary>
    public static double Error(ConvolutionKernels? kernels) => Cases.Max(c =>
    {
        var (input, weight, stride, padding, outputPadding) = Shapes(c);
        var chosen = kernels ?? ConvolutionLayout.KernelsFor(c.Transposed, input, weight, stride, padding, outputPadding, [1, 1], c.G, gradients: true);
        return ConvolutionLayout.Error(c.Transposed, input, weight, stride, padding, outputPadding, [1, 1], c.G, gradients: true, chosen);
    });

    /// <summary>
    /// The same cases in bfloat16: the largest ratio of error to the derived bound (<see cref="ConvolutionLayout.Bf16Error"/>;
    /// at most 1 is right) on the given kernels, or, without, on the kernels each configuration is routed to; a
    /// configuration routed to float32 (no bfloat16 kernels within the bound) counts with its float32 error against the bound.
    /// </summary>
    public static double Bf16Error(ConvolutionKernels? kernels) => Cases.Max(c =>
    {
        var (input, weight, stride, padding, outputPadding) = Shapes(c);
        var chosen = kernels ?? ConvolutionLayout.Bf16KernelsFor(c.Transposed, input, weight, stride, padding, outputPadding, [1, 1], c.G, gradients: true);
        return chosen is { } k
            ? ConvolutionLayout.Bf16Error(c.Transposed, input, weight, stride, padding, outputPadding, [1, 1], c.G, gradients: true, k)
            : ConvolutionLayout.Bf16Error(c.Transposed, input, weight, stride, padding, outputPadding, [1, 1], c.G, gradients: true, ConvolutionKernels.Nchw,
                (x, w) => c.Transposed
                    ? ConvolutionLayout.ConvTranspose2d(x, w, null, stride, padding, outputPadding, [1, 1], c.G)
                    : ConvolutionLayout.Conv2d(x, w, null, stride, padding, [1, 1], c.G));
    });

    private static (long[] Input, long[] Weight, long[] Stride, long[] Padding, long[] OutputPadding) Shapes(
        (long N, long C, long O, long H, long W, long K, long S, long P, long G, bool Transposed) c) =>
        ([c.N, c.C, c.H, c.W], c.Transposed ? [c.C, c.O / c.G, c.K, c.K] : [c.O, c.C / c.G, c.K, c.K], [c.S, c.S], [c.P, c.P],
            c.Transposed ? [c.S - 1, c.S - 1] : [0, 0]);
}

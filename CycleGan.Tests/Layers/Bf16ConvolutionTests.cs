using CycleGan.App.Devices;
using CycleGan.App.Layers;

namespace CycleGan.Tests.Layers;

/// <summary>
/// bfloat16 convolutions (train.precision bf16): within the bound derived from bfloat16's 8-bit significand against
/// float64, a wrong computation outside it, and float32 gradients for float32 parameters.
/// </summary>
public class Bf16ConvolutionTests
{
    [Bf16Fact]
    public void Every_self_check_configuration_stays_within_the_derived_bound_on_the_kernels_it_is_routed_to()
    {
        double ratio = ConvolutionSelfCheck.Bf16Error(null);
        Assert.InRange(ratio, 0, 1);
    }

    [Bf16Fact]
    public void A_configuration_runs_on_kernels_within_the_bound_for_it()
    {
        // 16 -> 8 channels, 3x3, batch 2: oneDNN's NCHW bfloat16 kernels gave NaN for it on the machines this project is built on
        long[] input = [2, 16, 9, 9], weight = [8, 16, 3, 3];
        var kernels = ConvolutionLayout.Bf16KernelsFor(false, input, weight, [1, 1], [1, 1], [0, 0], [1, 1], 1, gradients: true);
        Assert.NotNull(kernels);
        Assert.InRange(ConvolutionLayout.Bf16Error(false, input, weight, [1, 1], [1, 1], [0, 0], [1, 1], 1, true, kernels.Value), 0, 1);
    }

    [Bf16Fact]
    public void The_generators_last_layer_runs_in_bfloat16_on_oneDNN_kernels()
    {
        // 64 -> 3 channels, 7x7, after the reflection pad of a 256-pixel-wide image: with its odd number of outputs oneDNN's
        // channels-last bfloat16 backward was 257 times the bound here (the zero fourth channel mends it), its NCHW one NaN;
        // bfloat16 unfold, though within the bound, took 2.3 s against float32's 48 ms (forward and backward)
        long[] input = [1, 64, 262, 262], weight = [3, 64, 7, 7];
        var kernels = ConvolutionLayout.Bf16KernelsFor(false, input, weight, [1, 1], [0, 0], [0, 0], [1, 1], 1, gradients: true);
        Assert.NotNull(kernels);
        Assert.NotEqual(ConvolutionKernels.Unfold, kernels);
    }

    [Bf16Theory]
    [InlineData(false, 3)]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    public void Odd_output_channel_counts_stay_within_the_bound_on_channels_last_kernels(bool transposed, long outputs)
    {
        // the discriminator's last layer has 1 output channel, the generator's 3
        long[] input = [1, 16, 12, 12], weight = transposed ? [16, outputs, 4, 4] : [outputs, 16, 4, 4];
        double ratio = ConvolutionLayout.Bf16Error(transposed, input, weight, [1, 1], [1, 1], [0, 0], [1, 1], 1, true, ConvolutionKernels.ChannelsLast);
        Assert.InRange(ratio, 0, 1);
    }

    public static TheoryData<string> Breaks => ["one input channel dropped", "kernel flipped", "last output column zero", "NaN in one output"];

    [Theory]
    [MemberData(nameof(Breaks))]
    public void The_bound_rejects_a_wrong_convolution(string wrong)
    {
        long[] input = [1, 8, 8, 8], weight = [6, 8, 3, 3];
        Tensor Broken(Tensor x, Tensor w)
        {
            using Tensor xb = x.to(ScalarType.BFloat16), wb = w.to(ScalarType.BFloat16);
            Tensor Conv(Tensor a, Tensor b)
            {
                using Tensor y = nn.functional.conv2d(a, b, padding: [1, 1]);
                return y.to(ScalarType.Float32);
            }

            switch (wrong)
            {
                case "one input channel dropped":
                    return Conv(xb.narrow(1, 0, 7), wb.narrow(1, 0, 7));
                case "kernel flipped":
                    return Conv(xb, wb.flip(2, 3));
                case "last output column zero":
                    {
                        Tensor y = Conv(xb, wb);
                        using Tensor keep = torch.ones_like(y);
                        keep.narrow(3, y.shape[3] - 1, 1).zero_();
                        return y * keep;
                    }

                default:
                    {
                        Tensor y = Conv(xb, wb);
                        using Tensor mark = torch.zeros_like(y);
                        mark[0, 3, 4, 4] = torch.tensor(float.NaN);
                        return y.Plus(mark);
                    }
            }
        }

        // the same computation done right passes, so the break is what fails
        double right = ConvolutionLayout.Bf16Error(false, input, weight, [1, 1], [1, 1], [0, 0], [1, 1], 1, false, ConvolutionKernels.Nchw,
            (x, w) => ConvolutionLayout.Conv2d(x, w, null, [1, 1], [1, 1], [1, 1], 1, ConvolutionKernels.Unfold, ConvolutionPrecision.Bf16));
        Assert.InRange(right, 0, 1);
        double ratio = ConvolutionLayout.Bf16Error(false, input, weight, [1, 1], [1, 1], [0, 0], [1, 1], 1, false, ConvolutionKernels.Nchw, Broken);
        Assert.True(ratio > 1, $"{wrong}: {ratio} of the bound");
    }

    [Theory]
    [InlineData(1, 3 * 0.00390625)]
    [InlineData(144, 0.01175)]
    [InlineData(1 << 20, 0.0780)]
    public void The_bound_factor_is_three_bfloat16_roundings_and_a_float32_sum(long terms, double expected)
    {
        // (1 + 2^-8)^3 (1 + K 2^-24 / (1 - K 2^-24)) - 1, worked by hand: K = 1 gives 3u + 3u^2 + u^3 + ~6e-8 = 0.011765
        Assert.Equal(expected, ConvolutionLayout.Bf16BoundFactor(terms), 2e-4 * Math.Max(1, expected / 0.01));
    }

    [Bf16Fact]
    public void Gradients_reach_float32_parameters_in_float32_and_differ_from_float32_convolutions_by_bfloat16_rounding()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        var conv = new Conv2d(3, 8, 3, padding: 1);
        var up = new ConvTranspose2d(8, 4, 3, stride: 2, padding: 1, output_padding: 1);
        Tensor x = torch.rand(2, 3, 10, 10);
        var results = new Dictionary<ConvolutionPrecision, Tensor[]>();
        foreach (var precision in new[] { ConvolutionPrecision.Fp32, ConvolutionPrecision.Bf16 })
        {
            conv.WithConvolutionPrecision(precision);
            up.WithConvolutionPrecision(precision);
            conv.zero_grad();
            up.zero_grad();
            Tensor input = x.clone().requires_grad_();
            Tensor y = up.call(conv.call(input));
            Assert.Equal(ScalarType.Float32, y.dtype);
            (y * y).sum().backward();
            Tensor[] grads = [y.detach(), input.grad!, conv.weight.grad!, conv.bias!.grad!, up.weight.grad!, up.bias!.grad!];
            Assert.All(grads, g => Assert.Equal(ScalarType.Float32, g.dtype));
            Assert.All(new[] { conv.weight, up.weight }, p => Assert.Equal(ScalarType.Float32, p.dtype));
            results[precision] = grads.Select(g => g.clone()).ToArray();
        }

        for (int i = 0; i < results[ConvolutionPrecision.Fp32].Length; i++)
        {
            Tensor fp32 = results[ConvolutionPrecision.Fp32][i], bf16 = results[ConvolutionPrecision.Bf16][i];
            double relative = (bf16 - fp32).norm().item<float>() / fp32.norm().item<float>();
            Assert.InRange(relative, 1e-4, 3e-2); // bfloat16's rounding (~2^-9 per value) shows, and no more than that
        }
    }

    [Theory]
    [InlineData("flags\t\t: fpu vme sse avx512f avx512_bf16 avx512_vnni\n", true)]
    [InlineData("flags\t\t: fpu amx_tile amx_bf16 amx_int8\n", true)]
    [InlineData("flags\t\t: fpu vme sse avx2 avx512f avx512_vnni\nbugs\t\t: avx512_bf16\n", false)]
    [InlineData("flags\t\t: fpu vme sse avx2 avx512_bf16x\n", false)]
    [InlineData(null, false)]
    public void Bf16_is_refused_on_a_CPU_without_native_bfloat16(string? cpuInfo, bool native)
    {
        Assert.Equal(native, Bf16Support.Refusal(CPU, () => cpuInfo) is null);
        if (native)
        {
            Bf16Support.Require(ConvolutionPrecision.Bf16, CPU, "train.precision", () => cpuInfo);
            return;
        }

        var refused = Assert.Throws<ArgumentException>(() => Bf16Support.Require(ConvolutionPrecision.Bf16, CPU, "train.precision", () => cpuInfo));
        Assert.StartsWith("train.precision bf16 is refused: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("avx512_bf16", refused.Message, StringComparison.Ordinal);
        Bf16Support.Require(ConvolutionPrecision.Fp32, CPU, "train.precision", () => cpuInfo); // fp32 never is
    }
}

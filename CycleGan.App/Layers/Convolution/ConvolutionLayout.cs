
namespace CycleGan.App.Layers;

/// <summary>The ways a float32 CPU convolution can be handed to libtorch.</summary>
public enum ConvolutionKernels
{
    /// <summary>libtorch's own choice on NCHW tensors (oneDNN where built in).</summary>
    Nchw,

    /// <summary>oneDNN on channels-last copies of the input and weight.</summary>
    ChannelsLast,

    /// <summary>Unfold (im2col) and a matrix product, or a product and fold for transposed convolutions: no oneDNN kernel.</summary>
    Unfold,
}

/// <summary>
/// How Conv2d and ConvTranspose2d hand float32 CPU work to libtorch. On some CPUs oneDNN computes some convolutions
/// wrongly, silently, and which ones depends on the shape: on the machines this project is built on, its NCHW
/// backward-data kernels (Conv2d's input gradient, ConvTranspose2d's forward) with few channels, and its channels-last
/// forward for a 1x1 convolution to 80 channels. In <see cref="CpuConvolutionMode.PerConfiguration"/> mode (chosen by the
/// start-up self-check where it found such a fault, <see cref="CpuConvolutions"/>) each configuration (kind, channels, kernel, stride, padding,
/// dilation, groups, input shape, and whether gradients are needed) is checked once, on first use, float32 against
/// float64 at its shape with the height cut to a few rows (CheckedShape below), and runs on the first
/// <see cref="ConvolutionKernels"/> in the order channels-last, NCHW, unfold that is right. Parameters stay NCHW whatever runs, so state dicts, checkpoints and optimiser states keep
/// their layout, and autograd carries gradients back through any copies. Float64, CUDA and the other layers are untouched.
/// </summary>
/// <remarks>
/// The channels-last kernels need more than a copy for two shapes. A tensor with one channel is NCHW and channels-last
/// at once, and libtorch then takes the NCHW kernels: a one-channel input (grayscale images) gets a second, zero
/// channel, with zero weights, which changes no result, and a transposed convolution with one output channel computes a
/// second, zero one that is dropped. Grouped convolutions run as one convolution per group. An unbatched input gets its
/// batch dimension here, not in libtorch, which would add it as NCHW.
/// </remarks>
public static partial class ConvolutionLayout
{
    private static readonly ConvolutionKernels[] Preference = [ConvolutionKernels.ChannelsLast, ConvolutionKernels.Nchw, ConvolutionKernels.Unfold];

    /// <summary>A tensor with the same values and shape, laid out channels-last; free when it already is.</summary>
    public static Tensor ToChannelsLast(Tensor t)
    {
        // the returned view keeps the copy's storage alive; the handles in between are freed now, not by a dispose scope
        using Tensor nhwc = t.permute(0, 2, 3, 1), packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }

    /// <summary>nn.functional.conv2d on the kernels this configuration was found right on (or on <paramref name="kernels"/>).</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups, ConvolutionKernels? kernels = null,
        ConvolutionPrecision precision = ConvolutionPrecision.Fp32)
    {
        var convolution = new Convolution(false, stride, padding, [0, 0], dilation, groups);
        return InBf16(precision, input) ? convolution.RunBf16(input, weight, bias, kernels)
            : convolution.Run(input, weight, bias, kernels ?? Choose(convolution, input, weight));
    }

    /// <summary>nn.functional.conv_transpose2d on the kernels this configuration was found right on (or on <paramref name="kernels"/>).</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] outputPadding, long[] dilation,
        long groups, ConvolutionKernels? kernels = null, ConvolutionPrecision precision = ConvolutionPrecision.Fp32)
    {
        var convolution = new Convolution(true, stride, padding, outputPadding, dilation, groups);
        return InBf16(precision, input) ? convolution.RunBf16(input, weight, bias, kernels)
            : convolution.Run(input, weight, bias, kernels ?? Choose(convolution, input, weight));
    }

    /// <summary>
    /// The largest relative error (max |float32 - float64| / max |float64|, NaN counting as infinite) of a
    /// convolution's output and, when <paramref name="gradients"/>, its input and weight gradients, on the given
    /// kernels, against float64 on libtorch's own kernels (float64 is never rerouted), at the given shapes. The float32
    /// computation runs with one thread and with the process's threads, since some faults show with one only.
    /// </summary>
    public static double Error(bool transposed, long[] inputShape, long[] weightShape, long[] stride, long[] padding, long[] outputPadding, long[] dilation,
        long groups, bool gradients, ConvolutionKernels kernels) =>
        new Convolution(transposed, stride, padding, outputPadding, dilation, groups).Error(inputShape, weightShape, gradients, kernels);

    /// <summary>The kernels a float32 CPU configuration runs on in this process (checking it, if that has not been done).</summary>
    public static ConvolutionKernels KernelsFor(bool transposed, long[] inputShape, long[] weightShape, long[] stride, long[] padding, long[] outputPadding,
        long[] dilation, long groups, bool gradients)
    {
        CpuConvolutions convolutions = CpuConvolutions.Current;
        return convolutions.Mode == CpuConvolutionMode.Native
            ? ConvolutionKernels.Nchw
            : Decided(convolutions, new Convolution(transposed, stride, padding, outputPadding, dilation, groups), inputShape, weightShape, gradients);
    }

    private static ConvolutionKernels Choose(Convolution convolution, Tensor input, Tensor weight)
    {
        CpuConvolutions convolutions = CpuConvolutions.Current;
        if (convolutions.Mode == CpuConvolutionMode.Native || input.device_type != DeviceType.CPU || input.dtype != ScalarType.Float32)
        {
            return ConvolutionKernels.Nchw;
        }

        return Decided(convolutions, convolution, input.shape, weight.shape, torch.is_grad_enabled() && (input.requires_grad || weight.requires_grad));
    }

    private static ConvolutionKernels Decided(CpuConvolutions convolutions, Convolution convolution, long[] inputShape, long[] weightShape, bool gradients)
    {
        long[] checkedShape = convolution.CheckedShape(inputShape, weightShape);
        string key = convolution.Key(checkedShape, weightShape, gradients);
        return convolutions.Decisions.TryGetValue(key, out var known)
            ? known
            : convolutions.Decisions.GetOrAdd(key, _ => Decide(convolution, key, checkedShape, weightShape, gradients, convolutions.Report));
    }

    /// <summary>The most input rows a configuration is checked with (more where its kernel reaches further).</summary>
    public const long CheckedRows = 16;

    private static ConvolutionKernels Decide(Convolution convolution, string key, long[] inputShape, long[] weightShape, bool gradients, Action<string>? report)
    {
        var errors = new List<string>();
        foreach (var kernels in Preference)
        {
            double error = convolution.Error(inputShape, weightShape, gradients, kernels);
            errors.Add($"{kernels} {error:G2}");
            if (error <= Tolerance)
            {
                report?.Invoke($"{key}: {kernels} ({string.Join(", ", errors)})");
                return kernels;
            }
        }

        // nothing right: unfold and matrix products are libtorch's plainest code, the least likely to be wrong
        report?.Invoke($"{key}: no kernels check right ({string.Join(", ", errors)}); using {ConvolutionKernels.Unfold}");
        return ConvolutionKernels.Unfold;
    }

    /// <summary>Relative error allowed to float32 against float64 for one convolution.</summary>
    public const double Tolerance = 1e-4;

    private sealed partial record Convolution(bool Transposed, long[] Stride, long[] Padding, long[] OutputPadding, long[] Dilation, long Groups)
    {
        public string Key(long[] input, long[] weight, bool gradients) =>
            $"{(Transposed ? "conv_transpose2d" : "conv2d")} input [{string.Join(",", input)}] weight [{string.Join(",", weight)}] " +
            $"stride {Pair(Stride)} padding {Pair(Padding)}{(Transposed ? $" output_padding {Pair(OutputPadding)}" : "")} dilation {Pair(Dilation)} " +
            $"groups {Groups}{(gradients ? " with gradients" : "")}";

        /// <summary>
        /// The input shape a configuration is checked at: its own, with the height cut to <see cref="CheckedRows"/> (or
        /// the kernel's reach and two strides, where more). The kernels oneDNN picks and their blocking follow the
        /// channels, kernel, stride and width, which stay; more rows only repeat the same work, and a float64 check of a
        /// photo's full height would cost more time and memory than the photo's translation.
        /// </summary>
        public long[] CheckedShape(long[] inputShape, long[] weightShape)
        {
            int rows = inputShape.Length - 2;
            long reach = (Dilation[0] * (weightShape[2] - 1)) + 1 + (2 * Stride[0]);
            long[] shape = (long[])inputShape.Clone();
            shape[rows] = Math.Min(shape[rows], Math.Max(CheckedRows, reach));
            return shape;
        }

        public Tensor Run(Tensor input, Tensor weight, Tensor? bias, ConvolutionKernels kernels)
        {
            if (kernels == ConvolutionKernels.Nchw)
            {
                // contiguous: a channels-last input (a channels-last convolution's output) would take oneDNN's other kernels
                using Tensor x = input.contiguous(), w = weight.contiguous();
                return Native(x, w, bias);
            }

            if (input.dim() == 3)
            {
                return Run(input.unsqueeze(0), weight, bias, kernels).squeeze(0);
            }

            if (Groups > 1)
            {
                var group = this with { Groups = 1 };
                Tensor[] inputs = input.chunk(Groups, 1), weights = weight.chunk(Groups, 0);
                Tensor[]? biases = bias?.chunk(Groups, 0);
                return torch.cat(inputs.Select((x, g) => group.Run(x, weights[g], biases?[g], kernels)).ToArray(), 1);
            }

            return kernels == ConvolutionKernels.ChannelsLast ? ChannelsLast(input, weight, bias) : Unfolded(input, weight, bias);
        }

        public double Error(long[] inputShape, long[] weightShape, bool gradients, ConvolutionKernels kernels)
        {
            using var scope = torch.NewDisposeScope();
            using var grad = torch.enable_grad(gradients);
            var (x64, w64, y64, upstream) = Exact(inputShape, weightShape, gradients, 20261204);
            if (gradients)
            {
                y64.backward([upstream]);
            }

            return WorstOverThreadCounts(() =>
            {
                Tensor x32 = x64.detach().to(ScalarType.Float32).requires_grad_(gradients);
                Tensor w32 = w64.detach().to(ScalarType.Float32).requires_grad_(gradients);
                Tensor y32 = Run(x32, w32, null, kernels);
                double worst = RelativeError(y32, y64);
                if (gradients)
                {
                    y32.backward([upstream.to(ScalarType.Float32)]);
                    worst = Math.Max(worst, Math.Max(RelativeError(x32.grad!, x64.grad!), RelativeError(w32.grad!, w64.grad!)));
                }

                return worst;
            });
        }

        /// <summary>Seeded random float64 input and weight in [-0.5, 0.5) (leaves needing gradients where asked), their
        /// convolution on libtorch's float64 kernels, and a random upstream gradient for it: what a check compares with.</summary>
        private (Tensor X, Tensor W, Tensor Y, Tensor Upstream) Exact(long[] inputShape, long[] weightShape, bool gradients, ulong seed)
        {
            var generator = new Generator(seed);
            Tensor x = torch.empty(inputShape, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator).requires_grad_(gradients);
            Tensor w = torch.empty(weightShape, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator).requires_grad_(gradients);
            Tensor y = Native(x, w, null);
            return (x, w, y, torch.empty(y.shape, dtype: ScalarType.Float64).uniform_(-0.5, 0.5, generator));
        }

        private Tensor Native(Tensor input, Tensor weight, Tensor? bias) => Transposed
            ? nn.functional.conv_transpose2d(input, weight, bias, Stride, Padding, OutputPadding, Dilation, Groups)
            : nn.functional.conv2d(input, weight, bias, Stride, Padding, Dilation, Groups);

        // The copies made here are freed as soon as the convolution has run, not at the end of the caller's dispose scope:
        // an image-sized copy per layer adds up (autograd keeps its own references where backward needs them).
        private Tensor ChannelsLast(Tensor input, Tensor weight, Tensor? bias)
        {
            if (input.shape[1] == 1)
            {
                using Tensor twoChannels = WithZeroChannel(input, 1), twoChannelWeight = WithZeroChannel(weight, Transposed ? 0 : 1);
                return ChannelsLast(twoChannels, twoChannelWeight, bias);
            }

            if (Transposed && weight.shape[1] == 1)
            {
                // its forward is a backward-data computation whose result would have one channel: compute two, keep one
                using Tensor twoOutputs = WithZeroChannel(weight, 1);
                using Tensor two = ChannelsLast(input, twoOutputs, bias is null ? null : WithZeroChannel(bias, 0));
                return two.narrow(1, 0, 1);
            }

            using Tensor x = ToChannelsLast(input), w = ToChannelsLast(weight);
            return Native(x, w, bias);
        }

        /// <summary>
        /// Conv2d as unfold and a product: columns [N, C*kh*kw, L] times the weight [O, C*kh*kw]. ConvTranspose2d as
        /// its adjoint: the weight [C, O*kh*kw] transposed times the input's pixels, folded (overlapping sums) into the
        /// output, whose size output_padding decides as in libtorch.
        /// </summary>
        private Tensor Unfolded(Tensor input, Tensor weight, Tensor? bias)
        {
            long n = input.shape[0], h = input.shape[2], w = input.shape[3], kh = weight.shape[2], kw = weight.shape[3];
            Tensor y;
            if (Transposed)
            {
                long oh = ((h - 1) * Stride[0]) - (2 * Padding[0]) + (Dilation[0] * (kh - 1)) + OutputPadding[0] + 1;
                long ow = ((w - 1) * Stride[1]) - (2 * Padding[1]) + (Dilation[1] * (kw - 1)) + OutputPadding[1] + 1;
                using Tensor columns = torch.matmul(weight.reshape(weight.shape[0], -1).t(), input.reshape(n, input.shape[1], h * w));
                y = nn.functional.fold(columns, (oh, ow), (kh, kw), (Dilation[0], Dilation[1]), (Padding[0], Padding[1]), (Stride[0], Stride[1]));
            }
            else
            {
                long oh = ((h + (2 * Padding[0]) - (Dilation[0] * (kh - 1)) - 1) / Stride[0]) + 1;
                long ow = ((w + (2 * Padding[1]) - (Dilation[1] * (kw - 1)) - 1) / Stride[1]) + 1;
                using Tensor columns = nn.functional.unfold(input, (kh, kw), (Dilation[0], Dilation[1]), (Padding[0], Padding[1]), (Stride[0], Stride[1]));
                y = torch.matmul(weight.reshape(weight.shape[0], -1), columns).reshape(n, weight.shape[0], oh, ow);
            }

            if (bias is null)
            {
                return y;
            }

            using (y)
            {
                return y.Plus(bias.view(1, -1, 1, 1));
            }
        }

        private static Tensor WithZeroChannel(Tensor t, long dim) => torch.cat([t, torch.zeros_like(t.narrow(dim, 0, 1))], dim);

        private static string Pair(long[] p) => p[0] == p[1] ? $"{p[0]}" : $"({p[0]}, {p[1]})";
    }

    /// <summary>max |actual - exact| / max |exact|, infinite where the actual values hold NaN.</summary>
    public static double RelativeError(Tensor actual, Tensor exact)
    {
        double difference = (actual.to(ScalarType.Float64) - exact).abs().max().item<double>();
        double error = difference / Math.Max(exact.abs().max().item<double>(), 1e-30);
        return double.IsNaN(error) ? double.PositiveInfinity : error;
    }
}

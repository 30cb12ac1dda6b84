
namespace CycleGan.App.Layers;

/// <summary>
/// Convolutions in bfloat16 (<see cref="ConvolutionPrecision.Bf16"/>): the float32 input, weight and bias are cast to
/// bfloat16 at the convolution, oneDNN multiplies them exactly and accumulates in float32, and the bfloat16 result is
/// cast back to float32. Autograd carries gradients through the casts, so float32 parameters receive float32 gradients.
/// On the CPU every bfloat16 configuration is checked once, on first use, against float64 within the bound
/// <see cref="Bf16BoundFactor"/> derives (README, "bfloat16 convolutions"), on channels-last and NCHW kernels in turn; a
/// configuration that neither computes within the bound runs in float32. CUDA runs libtorch's own bfloat16 kernels
/// unchecked.
/// </summary>
public static partial class ConvolutionLayout
{
    /// <summary>bfloat16's unit roundoff: 8 significand bits (7 stored), round to nearest.</summary>
    public const double Bf16UnitRoundoff = 1.0 / 256;

    /// <summary>float32's unit roundoff (24 significand bits), for the float32 accumulation.</summary>
    public const double Float32UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>
    /// The kernels a bfloat16 configuration may run on, in order. Not unfold: its bfloat16 matrix product is not oneDNN's
    /// and is not faster than float32 but many times slower (64 -> 3 channels 7x7 at 256x256, forward and backward: 2.3 s
    /// in bfloat16 unfold, 48 ms in float32), so float32 is the better fallback.
    /// </summary>
    private static readonly ConvolutionKernels[] Bf16Preference = [ConvolutionKernels.ChannelsLast, ConvolutionKernels.Nchw];

    /// <summary>
    /// The factor f(K) in |computed - exact| &lt;= f(K) * sum |a||b| for one element of a bfloat16 convolution whose sum has
    /// K products. Three roundings to bfloat16 of relative size at most u = 2^-8 touch each term: the two factors
    /// (input and weight, or for gradients the upstream gradient and one of them) and the result; the product of two
    /// bfloat16 numbers (8 x 8 significand bits) is exact in float32, and a float32 sum of K terms in any order is off by
    /// at most gamma_K = K 2^-24 / (1 - K 2^-24) of the sum of their magnitudes. So f(K) = (1 + u)^3 (1 + gamma_K) - 1.
    /// </summary>
    public static double Bf16BoundFactor(long k)
    {
        double accumulated = k * Float32UnitRoundoff;
        if (accumulated >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "the float32 accumulation bound needs K < 2^24");
        }

        return (Math.Pow(1 + Bf16UnitRoundoff, 3) * (1 + (accumulated / (1 - accumulated)))) - 1;
    }

    /// <summary>
    /// The largest ratio, over every element of a convolution's output and (with <paramref name="gradients"/>) its
    /// input and weight gradients, of the bfloat16 computation's error against float64 to the bound
    /// <see cref="Bf16BoundFactor"/> times the same convolution of magnitudes (|x| with |w|, and its gradients for
    /// |upstream|): at most 1 where the kernels are right. NaN counts as infinite. <paramref name="convolution"/>, where
    /// given, replaces the computation checked (tests break it on purpose): it gets the float32 input and weight.
    /// </summary>
    public static double Bf16Error(bool transposed, long[] inputShape, long[] weightShape, long[] stride, long[] padding, long[] outputPadding,
        long[] dilation, long groups, bool gradients, ConvolutionKernels kernels, Func<Tensor, Tensor, Tensor>? convolution = null) =>
        new Convolution(transposed, stride, padding, outputPadding, dilation, groups).Bf16Error(inputShape, weightShape, gradients, kernels, convolution);

    /// <summary>The kernels a bfloat16 CPU configuration runs on in this process (checking it, if not done yet); null: it runs in float32.</summary>
    public static ConvolutionKernels? Bf16KernelsFor(bool transposed, long[] inputShape, long[] weightShape, long[] stride, long[] padding,
        long[] outputPadding, long[] dilation, long groups, bool gradients) =>
        new Convolution(transposed, stride, padding, outputPadding, dilation, groups).Bf16Decided(inputShape, weightShape, gradients);

    private static bool InBf16(ConvolutionPrecision precision, Tensor input) =>
        precision == ConvolutionPrecision.Bf16 && input.dtype == ScalarType.Float32;

    private sealed partial record Convolution
    {
        public Tensor RunBf16(Tensor input, Tensor weight, Tensor? bias, ConvolutionKernels? kernels)
        {
            ConvolutionKernels? chosen = kernels ?? (input.device_type != DeviceType.CPU
                ? ConvolutionKernels.Nchw
                : Bf16Decided(input.shape, weight.shape, torch.is_grad_enabled() && (input.requires_grad || weight.requires_grad)));
            return chosen is { } k ? ComputeInBf16(input, weight, bias, k) : Run(input, weight, bias, Choose(this, input, weight));
        }

        public ConvolutionKernels? Bf16Decided(long[] inputShape, long[] weightShape, bool gradients)
        {
            CpuConvolutions convolutions = CpuConvolutions.Current;
            long[] checkedShape = CheckedShape(inputShape, weightShape);
            string key = Key(checkedShape, weightShape, gradients) + " bfloat16";
            return convolutions.Bf16Decisions.TryGetValue(key, out var known)
                ? known
                : convolutions.Bf16Decisions.GetOrAdd(key, _ => Bf16Decide(key, checkedShape, weightShape, gradients, convolutions.Report));
        }

        private ConvolutionKernels? Bf16Decide(string key, long[] inputShape, long[] weightShape, bool gradients, Action<string>? report)
        {
            var errors = new List<string>();
            foreach (var kernels in Bf16Preference)
            {
                double ratio = Bf16Error(inputShape, weightShape, gradients, kernels, null);
                errors.Add($"{kernels} {ratio:G2} of the bound");
                if (ratio <= 1)
                {
                    report?.Invoke($"{key}: {kernels} ({string.Join(", ", errors)})");
                    return kernels;
                }
            }

            report?.Invoke($"{key}: no bfloat16 kernels within the bound ({string.Join(", ", errors)}); computed in float32");
            return null;
        }

        private Tensor ComputeInBf16(Tensor input, Tensor weight, Tensor? bias, ConvolutionKernels kernels)
        {
            long outputs = Transposed ? weight.shape[1] * Groups : weight.shape[0];
            if (kernels == ConvolutionKernels.ChannelsLast && outputs % 2 == 1 && Groups == 1)
            {
                // oneDNN's channels-last bfloat16 backward is far outside the bound for an odd number of output channels
                // (64 -> 3 7x7: 257 times it; 64 -> 2, 4, 8: within it), as if its channel pairs (AVX512_BF16 multiplies
                // two at a time) ran past the end: one zero output channel more, dropped after, makes it right
                using Tensor even = WithZeroChannel(weight, Transposed ? 1 : 0);
                using Tensor? evenBias = bias is null ? null : WithZeroChannel(bias, 0);
                using Tensor padded = ComputeInBf16(input, even, evenBias, kernels);
                return padded.narrow(1, 0, outputs);
            }

            // the casts are autograd operations: their backward casts the gradients back to float32
            using Tensor x = input.to(ScalarType.BFloat16), w = weight.to(ScalarType.BFloat16);
            using Tensor? b = bias?.to(ScalarType.BFloat16);
            using Tensor y = Run(x, w, b, kernels);
            return y.to(ScalarType.Float32);
        }

        public double Bf16Error(long[] inputShape, long[] weightShape, bool gradients, ConvolutionKernels kernels, Func<Tensor, Tensor, Tensor>? convolution)
        {
            using var scope = torch.NewDisposeScope();
            using var grad = torch.enable_grad(gradients);
            var (x64, w64, y64, upstream) = Exact(inputShape, weightShape, gradients, 20261206);

            // the sums of magnitudes that bound each element's error: the same convolution of |x| and |w|, and its gradients for |upstream|
            Tensor xMagnitude = x64.detach().abs().requires_grad_(gradients), wMagnitude = w64.detach().abs().requires_grad_(gradients);
            Tensor yMagnitude = Native(xMagnitude, wMagnitude, null);
            if (gradients)
            {
                y64.backward([upstream]);
                yMagnitude.backward([upstream.abs()]);
            }

            long taps = weightShape[2] * weightShape[3];
            long forward = (Transposed ? weightShape[0] / Groups : weightShape[1]) * taps;
            long inputGradient = (Transposed ? weightShape[1] : weightShape[0] / Groups) * taps;
            long weightGradient = Transposed ? inputShape[0] * inputShape[2] * inputShape[3] : y64.shape[0] * y64.shape[2] * y64.shape[3];

            return WorstOverThreadCounts(() =>
            {
                Tensor x32 = x64.detach().to(ScalarType.Float32).requires_grad_(gradients);
                Tensor w32 = w64.detach().to(ScalarType.Float32).requires_grad_(gradients);
                Tensor y = convolution is null ? ComputeInBf16(x32, w32, null, kernels) : convolution(x32, w32);
                double worst = BoundRatio(y, y64, yMagnitude, forward);
                if (gradients)
                {
                    y.backward([upstream.to(ScalarType.Float32)]);
                    worst = Math.Max(worst, BoundRatio(x32.grad!, x64.grad!, xMagnitude.grad!, inputGradient));
                    worst = Math.Max(worst, BoundRatio(w32.grad!, w64.grad!, wMagnitude.grad!, weightGradient));
                }

                return worst;
            });
        }

        /// <summary>The worst of a measurement with one thread and with the process's threads (some faults show with one only).</summary>
        private static double WorstOverThreadCounts(Func<double> measure)
        {
            int threads = torch.get_num_threads();
            double worst = 0;
            foreach (int t in threads > 1 ? new[] { 1, threads } : [threads])
            {
                torch.set_num_threads(t);
                try
                {
                    worst = Math.Max(worst, measure());
                }
                finally
                {
                    torch.set_num_threads(threads);
                }
            }

            return worst;
        }

        private static double BoundRatio(Tensor actual, Tensor exact, Tensor magnitude, long terms)
        {
            using Tensor difference = (actual.to(ScalarType.Float64) - exact).abs();
            using Tensor bound = magnitude.mul(Scalars.Of(Bf16BoundFactor(terms))).Plus(Scalars.Of(1e-300));
            double ratio = (difference / bound).max().item<double>();
            return double.IsNaN(ratio) ? double.PositiveInfinity : ratio;
        }
    }
}

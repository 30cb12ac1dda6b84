using CycleGan.Kernels;

namespace CycleGan.Tests.Reference;

/// <summary>
/// Every reference kernel's analytic backward against central finite differences of its own forward: the
/// check that does not trust TorchSharp. Inputs stay away from kinks (ReLU's 0, L1's 0, max-pooling ties).
/// </summary>
public class KernelGradientTests
{
    private const double Tolerance = 1e-6;

    private static void AssertGradient(Func<RefTensor[], RefTensor> forward, RefTensor[] inputs, int which, RefTensor analytic, RefTensor gradOutput)
    {
        RefTensor numeric = FiniteDifference.Gradient(forward, inputs, which, gradOutput);
        double error = FiniteDifference.MaxRelativeError(analytic, numeric);
        Assert.True(error < Tolerance, $"input {which}: analytic and numeric gradients differ by {error:G3}");
    }

    private static RefTensor Away(Random r, double from, params int[] shape)
    {
        // values in [-2, 2] at least `from` away from zero
        var t = RefTensor.Uniform(r, from, 2, shape);
        for (int i = 0; i < t.Count; i += 2)
        {
            t.Data[i] = -t.Data[i];
        }

        return t;
    }

    public static TheoryData<string> Pointwise() => ["sigmoid", "tanh", "leaky", "relu6", "gelu", "gelu_tanh", "selu", "relu"];

    [Theory]
    [MemberData(nameof(Pointwise))]
    public void Pointwise_activations(string name)
    {
        (Func<double, double> f, Func<double, double> d) = name switch
        {
            "sigmoid" => ((Func<double, double>)PointwiseKernels.Sigmoid, (Func<double, double>)PointwiseKernels.SigmoidGrad),
            "tanh" => (Math.Tanh, PointwiseKernels.TanhGrad),
            "leaky" => (PointwiseKernels.LeakyRelu(0.2), PointwiseKernels.LeakyReluGrad(0.2)),
            "relu6" => (PointwiseKernels.Relu6, PointwiseKernels.Relu6Grad),
            "gelu" => (PointwiseKernels.Gelu, PointwiseKernels.GeluGrad),
            "gelu_tanh" => (PointwiseKernels.GeluTanh, PointwiseKernels.GeluTanhGrad),
            "selu" => (PointwiseKernels.Selu, PointwiseKernels.SeluGrad),
            _ => (PointwiseKernels.Relu, PointwiseKernels.ReluGrad),
        };
        var r = new Random(1);
        RefTensor x = Away(r, 0.05, 3, 8);
        x.Data[1] = 6.5; // ReLU6's upper kink region, from above
        RefTensor g = RefTensor.Uniform(r, -1, 1, 3, 8);
        AssertGradient(a => PointwiseKernels.Forward(a[0], f), [x], 0, PointwiseKernels.Backward(x, g, d), g);
    }

    [Fact]
    public void Erf_matches_known_values()
    {
        // Values from standard tables (Abramowitz and Stegun 7.1), not from this code.
        Assert.Equal(0.0, SpecialFunctions.Erf(0));
        Assert.Equal(0.5204998778130465, SpecialFunctions.Erf(0.5), 1e-15);
        Assert.Equal(0.8427007929497149, SpecialFunctions.Erf(1), 1e-15);
        Assert.Equal(0.9953222650189527, SpecialFunctions.Erf(2), 1e-15);
        Assert.Equal(-0.9999779095030014, SpecialFunctions.Erf(-3), 1e-15);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Softmax(int dim)
    {
        var r = new Random(2);
        RefTensor x = RefTensor.Uniform(r, -3, 3, 2, 4, 3);
        RefTensor g = RefTensor.Uniform(r, -1, 1, 2, 4, 3);
        RefTensor y = SoftmaxKernel.Forward(x, dim);
        AssertGradient(a => SoftmaxKernel.Forward(a[0], dim), [x], 0, SoftmaxKernel.Backward(y, g, dim), g);
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(2, 1, 2, 2, 1, 0, 1, 2, 1)]
    [InlineData(1, 2, 0, 1, 2, 1, 2, 1, 2)]
    public void Conv2d(int sh, int sw, int pt, int pb, int pl, int pr, int dh, int dw, int groups)
    {
        var a = new Conv2dKernel.Args(sh, sw, pt, pb, pl, pr, dh, dw, groups);
        AssertConvolutionGradients(new Random(3), [2, 2 * groups, 5, 6], [2 * groups, 2, 3, 2], 2 * groups,
            (x, w, b) => Conv2dKernel.Forward(x, w, b, a), (x, w, g) => Conv2dKernel.Backward(x, w, g, a));
    }

    [Theory]
    [InlineData(2, 1, 1, 1, 1)]
    [InlineData(1, 0, 0, 2, 2)]
    [InlineData(3, 1, 2, 1, 1)]
    public void ConvTranspose2d(int stride, int pad, int outPad, int dilation, int groups)
    {
        var a = new ConvTranspose2dKernel.Args(stride, stride, pad, pad, outPad, outPad, dilation, dilation, groups);
        AssertConvolutionGradients(new Random(4), [2, 2 * groups, 3, 4], [2 * groups, 2, 3, 3], 2 * groups,
            (x, w, b) => ConvTranspose2dKernel.Forward(x, w, b, a), (x, w, g) => ConvTranspose2dKernel.Backward(x, w, g, a));
    }

    /// <summary>Checks the input, weight and bias gradients of a convolution kernel against finite differences, at random values.</summary>
    private static void AssertConvolutionGradients(Random r, int[] xShape, int[] wShape, int biasSize, Func<RefTensor, RefTensor, RefTensor, RefTensor> forward,
        Func<RefTensor, RefTensor, RefTensor, (RefTensor GradInput, RefTensor GradWeight, RefTensor GradBias)> backward)
    {
        RefTensor x = RefTensor.Uniform(r, -1, 1, xShape);
        RefTensor w = RefTensor.Uniform(r, -1, 1, wShape);
        RefTensor b = RefTensor.Uniform(r, -1, 1, biasSize);
        RefTensor y = forward(x, w, b);
        RefTensor g = RefTensor.Uniform(r, -1, 1, y.Shape);
        var (gx, gw, gb) = backward(x, w, g);
        RefTensor[] inputs = [x, w, b];
        RefTensor F(RefTensor[] t) => forward(t[0], t[1], t[2]);
        AssertGradient(F, inputs, 0, gx, g);
        AssertGradient(F, inputs, 1, gw, g);
        AssertGradient(F, inputs, 2, gb, g);
    }

    [Theory]
    [InlineData("zeros")]
    [InlineData("reflect")]
    [InlineData("replicate")]
    [InlineData("circular")]
    public void Pad2d(string mode)
    {
        var r = new Random(5);
        var a = new Pad2dKernel.Args(2, 1, 3, 0, mode);
        RefTensor x = RefTensor.Uniform(r, -1, 1, 1, 2, 4, 5);
        RefTensor y = Pad2dKernel.Forward(x, a);
        RefTensor g = RefTensor.Uniform(r, -1, 1, y.Shape);
        AssertGradient(t => Pad2dKernel.Forward(t[0], a), [x], 0, Pad2dKernel.Backward(g, x.Shape, a), g);
    }

    [Fact]
    public void Reflect_padding_mirrors_without_repeating_the_edge()
    {
        // [1 2 3] padded by 2 on each side in reflect mode is [3 2 1 2 3 2 1] (PyTorch's definition).
        var x = new RefTensor([1, 1, 1, 3], [1, 2, 3]);
        var y = Pad2dKernel.Forward(x, new Pad2dKernel.Args(2, 2, 0, 0, "reflect"));
        Assert.Equal(new double[] { 3, 2, 1, 2, 3, 2, 1 }, y.Data);
        var c = Pad2dKernel.Forward(x, new Pad2dKernel.Args(2, 2, 0, 0, "circular"));
        Assert.Equal(new double[] { 2, 3, 1, 2, 3, 1, 2 }, c.Data);
        var e = Pad2dKernel.Forward(x, new Pad2dKernel.Args(2, 2, 0, 0, "replicate"));
        Assert.Equal(new double[] { 1, 1, 1, 2, 3, 3, 3 }, e.Data);
    }

    [Fact]
    public void Linear()
    {
        var r = new Random(6);
        RefTensor x = RefTensor.Uniform(r, -1, 1, 2, 3, 4), w = RefTensor.Uniform(r, -1, 1, 5, 4), b = RefTensor.Uniform(r, -1, 1, 5);
        RefTensor g = RefTensor.Uniform(r, -1, 1, 2, 3, 5);
        var (gx, gw, gb) = LinearKernel.Backward(x, w, g);
        RefTensor[] inputs = [x, w, b];
        RefTensor F(RefTensor[] t) => LinearKernel.Forward(t[0], t[1], t[2]);
        AssertGradient(F, inputs, 0, gx, g);
        AssertGradient(F, inputs, 1, gw, g);
        AssertGradient(F, inputs, 2, gb, g);
    }

    [Theory]
    [InlineData(false, true, 0)]
    [InlineData(true, false, 1)]
    [InlineData(true, true, 2)]
    public void Average_pooling(bool ceil, bool countPad, int divisor)
    {
        var r = new Random(7);
        var a = new PoolingKernels.Args(3, 2, 2, 2, 1, 1, CeilMode: ceil, CountIncludePad: countPad, DivisorOverride: divisor == 0 ? null : divisor);
        RefTensor x = RefTensor.Uniform(r, -1, 1, 2, 2, 7, 6);
        RefTensor y = PoolingKernels.AvgForward(x, a);
        RefTensor g = RefTensor.Uniform(r, -1, 1, y.Shape);
        AssertGradient(t => PoolingKernels.AvgForward(t[0], a), [x], 0, PoolingKernels.AvgBackward(x, a, g), g);
    }

    [Fact]
    public void Max_and_adaptive_pooling()
    {
        var r = new Random(8);
        // distinct values far apart, so a small step never changes which element is the maximum
        var order = Enumerable.Range(0, 2 * 2 * 7 * 6).OrderBy(_ => r.Next()).ToArray();
        var x = new RefTensor([2, 2, 7, 6], order.Select(v => v * 0.1).ToArray());
        var a = new PoolingKernels.Args(3, 2, 2, 1, 1, 1, 2, 1, true);
        var (y, idx) = PoolingKernels.MaxForward(x, a);
        RefTensor g = RefTensor.Uniform(r, -1, 1, y.Shape);
        AssertGradient(t => PoolingKernels.MaxForward(t[0], a).Output, [x], 0, PoolingKernels.MaxBackward(x.Shape, idx, g), g);

        var (ay, aidx) = PoolingKernels.AdaptiveMaxForward(x, 4, 5);
        RefTensor ag = RefTensor.Uniform(r, -1, 1, ay.Shape);
        AssertGradient(t => PoolingKernels.AdaptiveMaxForward(t[0], 4, 5).Output, [x], 0, PoolingKernels.MaxBackward(x.Shape, aidx, ag), ag);

        RefTensor av = PoolingKernels.AdaptiveAvgForward(x, 3, 4);
        RefTensor vg = RefTensor.Uniform(r, -1, 1, av.Shape);
        AssertGradient(t => PoolingKernels.AdaptiveAvgForward(t[0], 3, 4), [x], 0, PoolingKernels.AdaptiveAvgBackward(x, 3, 4, vg), vg);
    }

    [Fact]
    public void Adaptive_windows_follow_floor_and_ceil()
    {
        // 10 -> 4: windows [0,3) [2,5) [5,8) [7,10), by hand from start = floor(i*10/4), end = ceil((i+1)*10/4)
        int[][] expected = [[0, 3], [2, 5], [5, 8], [7, 10]];
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected[i], new[] { PoolingKernels.AdaptiveStart(i, 10, 4), PoolingKernels.AdaptiveEnd(i, 10, 4) });
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Normalisation_in_training(bool perInstance)
    {
        var r = new Random(9);
        RefTensor x = RefTensor.Uniform(r, -2, 2, 2, 3, 3, 2), w = RefTensor.Uniform(r, 0.5, 1.5, 3), b = RefTensor.Uniform(r, -1, 1, 3);
        RefTensor g = RefTensor.Uniform(r, -1, 1, x.Shape);
        var forward = NormKernels.TrainForward(x, w, b, 1e-5, perInstance);
        var grads = NormKernels.TrainBackward(x, w, true, forward, 1e-5, g, perInstance);
        RefTensor[] inputs = [x, w, b];
        RefTensor F(RefTensor[] t) => NormKernels.TrainForward(t[0], t[1], t[2], 1e-5, perInstance).Output;
        AssertGradient(F, inputs, 0, grads.Input, g);
        AssertGradient(F, inputs, 1, grads.Weight!, g);
        AssertGradient(F, inputs, 2, grads.Bias!, g);
    }

    [Fact]
    public void Normalisation_in_eval()
    {
        var r = new Random(10);
        RefTensor x = RefTensor.Uniform(r, -2, 2, 2, 3, 3, 2), w = RefTensor.Uniform(r, 0.5, 1.5, 3), b = RefTensor.Uniform(r, -1, 1, 3);
        RefTensor rm = RefTensor.Uniform(r, -1, 1, 3), rv = RefTensor.Uniform(r, 0.5, 2, 3);
        RefTensor g = RefTensor.Uniform(r, -1, 1, x.Shape);
        var grads = NormKernels.EvalBackward(x, w, true, rm, rv, 1e-5, g, false);
        RefTensor[] inputs = [x, w, b];
        RefTensor F(RefTensor[] t) => NormKernels.EvalForward(t[0], t[1], t[2], rm, rv, 1e-5, false);
        AssertGradient(F, inputs, 0, grads.Input, g);
        AssertGradient(F, inputs, 1, grads.Weight!, g);
        AssertGradient(F, inputs, 2, grads.Bias!, g);
    }

    [Fact]
    public void Running_statistics_use_the_unbiased_variance()
    {
        // one channel, values 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14/3 (by hand)
        var x = new RefTensor([1, 1, 2, 2], [1, 2, 3, 6]);
        var forward = NormKernels.TrainForward(x, null, null, 1e-5, false);
        var (mean, var) = NormKernels.UpdateRunning(new RefTensor([1], [0.0]), new RefTensor([1], [1.0]), forward, x.Shape, false, 0.1);
        Assert.Equal(0.3, mean.Data[0], 12);
        Assert.Equal((0.9 * 1) + (0.1 * 14 / 3.0), var.Data[0], 12);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("mean")]
    [InlineData("sum")]
    public void Elementwise_losses(string reduction)
    {
        var r = new Random(11);
        RefTensor x = RefTensor.Uniform(r, -2, 2, 3, 4), t = RefTensor.Uniform(r, -2, 2, 3, 4);
        for (int i = 0; i < x.Count; i++)
        {
            x.Data[i] += Math.Abs(x.Data[i] - t.Data[i]) < 0.05 ? 0.2 : 0; // away from L1's kink
        }

        RefTensor g = reduction == "none" ? RefTensor.Uniform(r, -1, 1, 3, 4) : RefTensor.Scalar(0.7);
        var (l1x, l1t) = LossKernels.L1Backward(x, t, reduction, g);
        AssertGradient(a => LossKernels.L1Forward(a[0], a[1], reduction), [x, t], 0, l1x, g);
        AssertGradient(a => LossKernels.L1Forward(a[0], a[1], reduction), [x, t], 1, l1t, g);
        var (mx, mt) = LossKernels.MseBackward(x, t, reduction, g);
        AssertGradient(a => LossKernels.MseForward(a[0], a[1], reduction), [x, t], 0, mx, g);
        AssertGradient(a => LossKernels.MseForward(a[0], a[1], reduction), [x, t], 1, mt, g);
    }

    [Theory]
    [InlineData(false, "mean", 0.0, false)]
    [InlineData(false, "mean", 0.2, true)]
    [InlineData(false, "none", 0.1, true)]
    [InlineData(true, "sum", 0.3, true)]
    [InlineData(true, "mean", 0.0, false)]
    public void Cross_entropy(bool probabilities, string reduction, double smoothing, bool weighted)
    {
        var r = new Random(12);
        RefTensor x = RefTensor.Uniform(r, -2, 2, 3, 4, 2);
        RefTensor target = probabilities
            ? SoftmaxKernel.Forward(RefTensor.Uniform(r, 0, 1, 3, 4, 2), 1)
            : new RefTensor([3, 2], [0, 3, 1, 1, 2, 0]);
        var a = new LossKernels.CrossEntropyArgs(weighted ? [0.5, 1.5, 1, 2] : null, probabilities ? -100 : 1, reduction, smoothing);
        RefTensor g = reduction == "none" ? RefTensor.Uniform(r, -1, 1, 3, 2) : RefTensor.Scalar(1.3);
        var (_, grad) = LossKernels.CrossEntropy(x, target, probabilities, a, g);
        AssertGradient(t => LossKernels.CrossEntropy(t[0], target, probabilities, a, null).Loss, [x], 0, grad, g);
    }

    [Fact]
    public void Cross_entropy_of_a_hand_computed_example()
    {
        // logits (0, ln 3) for class 1: softmax (1/4, 3/4), loss -ln(3/4); with weight w1 = 2 the weighted mean is the same
        var x = new RefTensor([1, 2], [0, Math.Log(3)]);
        var t = new RefTensor([1], [1]);
        Assert.Equal(-Math.Log(0.75), LossKernels.CrossEntropy(x, t, false, new(), null).Loss.Data[0], 14);
        Assert.Equal(-Math.Log(0.75), LossKernels.CrossEntropy(x, t, false, new([1, 2]), null).Loss.Data[0], 14);
        Assert.Equal(-2 * Math.Log(0.75), LossKernels.CrossEntropy(x, t, false, new([1, 2], Reduction: "sum"), null).Loss.Data[0], 14);
    }

    [Fact]
    public void Dropout_given_a_mask()
    {
        var x = new RefTensor([4], [1, 2, 3, 4]);
        var mask = new RefTensor([4], [1, 0, 1, 0]);
        Assert.Equal(new double[] { 2, 0, 6, 0 }, DropoutKernel.Forward(x, mask, 0.5).Data);
        Assert.Equal(new double[] { 0, 0, 0, 0 }, DropoutKernel.Forward(x, new RefTensor([4], [0, 0, 0, 0]), 1).Data);
    }
}

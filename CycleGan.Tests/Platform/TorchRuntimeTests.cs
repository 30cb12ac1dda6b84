using CycleGan.App.Devices;
using CycleGan.App.Layers;

namespace CycleGan.Tests.Platform;

public class TorchRuntimeTests
{
    [Fact]
    public void After_the_self_check_float32_convolutions_agree_with_float64_on_the_chosen_kernels()
    {
        // measured afresh on the path the start-up chose (whichever it was), not read back from what it recorded
        var check = TorchRuntime.EnsureInitialized();
        double error = ConvolutionSelfCheck.Error(null);
        Assert.True(error <= TorchRuntime.Tolerance, $"error {error:G3} on the chosen path; {check.Message}");
    }

    [Fact]
    public void The_unfold_kernels_agree_with_float64_on_every_self_check_shape()
    {
        // The fallback for configurations that no oneDNN kernel gets right is the project's own code: check it too
        Assert.True(ConvolutionSelfCheck.Error(ConvolutionKernels.Unfold) <= TorchRuntime.Tolerance);
        Assert.True(ConvolutionLayout.Error(false, [2, 3, 9, 11], [4, 3, 3, 2], [2, 1], [1, 2], [0, 0], [2, 3], 1, true, ConvolutionKernels.Unfold) <= 1e-4);
        Assert.True(ConvolutionLayout.Error(true, [2, 4, 5, 3], [4, 3, 3, 2], [3, 2], [1, 0], [2, 1], [1, 2], 1, true, ConvolutionKernels.Unfold) <= 1e-4);
    }

    [Fact]
    public void A_configuration_runs_on_kernels_that_check_right_for_it()
    {
        // A 1x1 convolution to 80 channels: oneDNN's channels-last forward was wrong for it on the machines this
        // project is built on, while its channels-last kernels were right for the self-check's shapes
        long[] input = [2, 64, 16, 16], weight = [80, 64, 1, 1];
        var kernels = ConvolutionLayout.KernelsFor(false, input, weight, [1, 1], [0, 0], [0, 0], [1, 1], 1, gradients: true);
        Assert.True(ConvolutionLayout.Error(false, input, weight, [1, 1], [0, 0], [0, 0], [1, 1], 1, true, kernels) <= ConvolutionLayout.Tolerance, $"{kernels}");
    }

    [Fact]
    public void The_comparison_notices_a_wrong_convolution()
    {
        // The comparison that judges libtorch, fed a result that is off by 1% in one place
        using var scope = NewDisposeScope();
        var exact = linspace(-1, 1, 50, dtype: ScalarType.Float64);
        var wrong = exact.to(ScalarType.Float32).clone();
        wrong[10] = wrong[10].Plus(Scalars.Of(0.01f));
        Assert.InRange(ConvolutionLayout.RelativeError(wrong, exact), 0.009, 0.011);
        wrong[3] = float.NaN;
        Assert.Equal(double.PositiveInfinity, ConvolutionLayout.RelativeError(wrong, exact));
    }
}

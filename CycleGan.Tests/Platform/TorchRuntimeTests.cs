using CycleGan.App.Devices;
using CycleGan.App.Layers;

namespace CycleGan.Tests.Platform;

public class TorchRuntimeTests
{
    [Fact]
    public void After_the_self_check_float32_convolutions_agree_with_float64_on_the_chosen_path()
    {
        var check = TorchRuntime.EnsureInitialized();
        Assert.NotEqual(CpuConvolutionPath.NchwUnchecked, check.Path);
        Assert.Equal(check.Path == CpuConvolutionPath.ChannelsLast, ConvolutionLayout.CpuChannelsLast);
        Assert.True(ConvolutionSelfCheck.Error(ConvolutionLayout.CpuChannelsLast) <= TorchRuntime.Tolerance, check.Message);
        Assert.True(check.ErrorAfter <= TorchRuntime.Tolerance, check.Message);
    }

    [Fact]
    public void The_self_check_notices_a_wrong_convolution()
    {
        // The same comparison that judges libtorch, fed a result that is off by 1% in one place
        using var scope = TorchSharp.torch.NewDisposeScope();
        var exact = TorchSharp.torch.linspace(-1, 1, 50, dtype: TorchSharp.torch.ScalarType.Float64);
        var wrong = exact.to(TorchSharp.torch.ScalarType.Float32).clone();
        wrong[10] = wrong[10] + 0.01f;
        Assert.InRange(ConvolutionSelfCheck.RelativeError(wrong, exact), 0.009, 0.011);
        wrong[3] = float.NaN;
        Assert.Equal(double.PositiveInfinity, ConvolutionSelfCheck.RelativeError(wrong, exact));
    }
}

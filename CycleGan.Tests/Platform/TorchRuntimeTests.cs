using CycleGan.App.Devices;

namespace CycleGan.Tests.Platform;

public class TorchRuntimeTests
{
    [Fact]
    public void After_the_self_check_float32_convolution_gradients_agree_with_float64()
    {
        var check = TorchRuntime.EnsureInitialized();
        // Either oneDNN was right from the start, or it was found faulty and switched off; both leave correct kernels.
        Assert.True(TorchRuntime.Float32TransposedConvolutionError() <= 1e-4, check.Message);
        Assert.Equal(check.OneDnnFaulty, check.OneDnnDisabled);
        Assert.True(check.ErrorAfter <= 1e-4, check.Message);
    }
}

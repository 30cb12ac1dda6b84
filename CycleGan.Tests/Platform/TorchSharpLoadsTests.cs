using CycleGan.App.Devices;

namespace CycleGan.Tests.Platform;

/// <summary>
/// The native library loads on this machine: on Debian 12 this passes only because the build marked
/// libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak (build/TorchSharpNativeFix.targets).
/// </summary>
public class TorchSharpLoadsTests
{
    [Fact]
    public void Libtorch_computes_a_convolution()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(1, 1, 3, 3);
        var w = torch.ones(1, 1, 2, 2);
        var y = torch.nn.functional.conv2d(x, w);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, y.shape);
        Assert.Equal(16f, y.sum().item<float>());
    }

    [NoCudaTheory]
    [InlineData("cpu")]
    [InlineData("CPU")]
    [InlineData(" auto ")]
    public void Cpu_and_auto_resolve_on_a_machine_without_cuda(string spec)
    {
        Assert.Equal(DeviceType.CPU, DeviceSelector.Resolve(spec).type);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("tpu:0")]
    public void Bad_device_names_are_rejected_with_the_accepted_forms(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => DeviceSelector.Resolve(spec));
        Assert.Contains(spec, ex.Message);
    }

    [NoCudaFact]
    public void Cuda_without_cuda_is_a_clear_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => DeviceSelector.Resolve("cuda:0"));
        Assert.Contains("CUDA is not available", ex.Message);
    }
}

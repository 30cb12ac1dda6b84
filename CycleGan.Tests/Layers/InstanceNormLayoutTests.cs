using CycleGan.App.Layers;

namespace CycleGan.Tests.Layers;

/// <summary>
/// InstanceNorm2d hands a channels-last activation on channels-last, so the channels-last convolution after it needs no
/// copy (libtorch's own instance_norm returns NCHW: BENCHMARKS.md, "The training step by kind of work"). Its values are
/// the catalogue's business (verify-layers); here only the layout.
/// </summary>
public class InstanceNormLayoutTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(3, true)]
    [InlineData(1, false)]
    [InlineData(3, false)]
    public void A_channels_last_activation_stays_channels_last_forward_and_backward(int batch, bool affine)
    {
        using var scope = torch.NewDisposeScope();
        using var norm = new InstanceNorm2d(8, affine: affine);
        Tensor input = ConvolutionLayout.ToChannelsLast(torch.randn(batch, 8, 5, 6)).requires_grad_(true);
        Tensor output = norm.call(input);
        output.backward([ConvolutionLayout.ToChannelsLast(torch.randn(batch, 8, 5, 6))]);

        long[] channelsLast = [8 * 5 * 6, 1, 6 * 8, 8];
        Assert.Equal(channelsLast, output.stride());
        Assert.Equal(channelsLast, input.grad!.stride());
    }
}

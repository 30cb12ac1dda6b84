using CycleGan.App.Layers;

namespace CycleGan.Tests.Layers;

/// <summary>The source document's examples, with the shapes PyTorch gives (design.md), not the document's slips.</summary>
public class DesignExampleShapeTests
{
    private static long[] Shape(nn.Module<Tensor, Tensor> layer, params long[] input)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return layer.call(torch.randn(input)).shape;
    }

    [Fact]
    public void Conv2d_with_stride_padding_and_dilation()
    {
        var conv = new Conv2d(16, 33, (3, 5), stride: (2, 1), padding: (4, 2), dilation: (3, 1));
        Assert.Equal(new long[] { 20, 33, 26, 100 }, Shape(conv, 20, 16, 50, 100));
        // the layer's learnable tensor of shape (out, in, kh, kw) is its weight (the document called it a bias)
        Assert.Equal(new long[] { 33, 16, 3, 5 }, conv.weight.shape);
        Assert.Equal(new long[] { 33 }, conv.bias!.shape);
    }

    [Theory]
    [InlineData(false, 24, 15)]
    [InlineData(true, 24, 31)]
    public void MaxPool2d_and_AvgPool2d(bool rectangular, long h, long w)
    {
        nn.Module<Tensor, Tensor> max = rectangular ? new MaxPool2d((3, 2), stride: (2, 1)) : new MaxPool2d(3, stride: 2);
        nn.Module<Tensor, Tensor> avg = rectangular ? new AvgPool2d((3, 2), stride: (2, 1)) : new AvgPool2d(3, stride: 2);
        Assert.Equal(new long[] { 20, 16, h, w }, Shape(max, 20, 16, 50, 32));
        Assert.Equal(new long[] { 20, 16, h, w }, Shape(avg, 20, 16, 50, 32));
    }

    [Fact]
    public void Adaptive_pools_with_none()
    {
        foreach (Func<AdaptiveSize, nn.Module<Tensor, Tensor>> make in new Func<AdaptiveSize, nn.Module<Tensor, Tensor>>[]
                 { s => new AdaptiveMaxPool2d(s), s => new AdaptiveAvgPool2d(s) })
        {
            Assert.Equal(new long[] { 1, 64, 5, 7 }, Shape(make((5, 7)), 1, 64, 8, 9));
            Assert.Equal(new long[] { 1, 64, 7, 7 }, Shape(make(7), 1, 64, 10, 9));
            Assert.Equal(new long[] { 1, 64, 10, 7 }, Shape(make((null, 7)), 1, 64, 10, 9));
        }
    }

    [Fact]
    public void Linear_shapes_and_parameters()
    {
        var linear = new Linear(20, 30);
        Assert.Equal(new long[] { 128, 30 }, Shape(linear, 128, 20));
        Assert.Equal(new long[] { 30, 20 }, linear.weight.shape);
        Assert.Equal(new long[] { 30 }, linear.bias!.shape);
    }

    [Fact]
    public void BatchNorm2d_keeps_the_shape()
    {
        Assert.Equal(new long[] { 20, 100, 35, 45 }, Shape(new BatchNorm2d(100), 20, 100, 35, 45));
    }

    [Fact]
    public void Softmax_slices_sum_to_one()
    {
        using var scope = torch.NewDisposeScope();
        var y = new Softmax(1).call(torch.randn(4, 7, 3));
        var sums = y.sum(1);
        Assert.True(torch.allclose(sums, torch.ones_like(sums), rtol: 1e-6, atol: 1e-6), "softmax sums are not 1");
        Assert.True(y.min().item<float>() > 0);
    }

    [Fact]
    public void Tanh_squashes_into_minus_one_one()
    {
        using var scope = torch.NewDisposeScope();
        var y = new Tanh().call(torch.tensor(new float[] { -100, 0, 100 }));
        Assert.Equal(new float[] { -1, 0, 1 }, y.data<float>().ToArray());
    }

    [Fact]
    public void Dropout2d_drops_channels_where_dropout_drops_elements()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.ones(8, 16, 4, 4);
        var channels = new Dropout2d(0.5).call(x);
        var perChannel = channels.sum([2, 3]);
        Assert.True(perChannel.eq(Scalars.Of(0.0)).logical_or(perChannel.eq(Scalars.Of(32.0))).all().item<bool>(), "a channel was partly dropped");
        var elements = new Dropout(0.5).call(x).sum([2, 3]);
        Assert.True(elements.ne(Scalars.Of(0.0)).logical_and(elements.ne(Scalars.Of(32.0))).any().item<bool>(), "Dropout should drop single elements");
    }

    [Fact]
    public void Identity_returns_its_input_and_takes_any_arguments()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 3);
        Assert.Same(x, new Identity(54, "unused", 0.1).call(x));
    }

    [Fact]
    public void ConvTranspose2d_doubles_the_size_as_in_the_generator()
    {
        var up = new ConvTranspose2d(256, 128, 3, stride: 2, padding: 1, output_padding: 1);
        Assert.Equal(new long[] { 1, 128, 16, 12 }, Shape(up, 1, 256, 8, 6));
        Assert.Equal(new long[] { 256, 128, 3, 3 }, up.weight.shape);
    }

    [Fact]
    public void ReflectionPad2d_pads_each_side()
    {
        Assert.Equal(new long[] { 2, 3, 14, 16 }, Shape(new ReflectionPad2d(3), 2, 3, 8, 10));
        Assert.Equal(new long[] { 2, 3, 11, 13 }, Shape(new ReflectionPad2d((1, 2, 0, 3)), 2, 3, 8, 10));
    }

    [Fact]
    public void Conv2d_same_keeps_the_size_and_valid_shrinks_it()
    {
        Assert.Equal(new long[] { 1, 4, 9, 8 }, Shape(new Conv2d(2, 4, 4, padding: "same", dilation: 2), 1, 2, 9, 8));
        Assert.Equal(new long[] { 1, 4, 6, 6 }, Shape(new Conv2d(2, 4, 3, padding: "valid"), 1, 2, 8, 8));
        Assert.Equal(new long[] { 1, 4, 9, 8 }, Shape(new Conv2d(2, 4, 3, padding: "same", padding_mode: "reflect"), 1, 2, 9, 8));
    }

    [Fact]
    public void State_dict_keys_carry_pytorch_names()
    {
        var bn = new BatchNorm2d(4);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.state_dict().Keys.ToArray());
        Assert.Equal(["weight", "bias"], new Conv2d(1, 2, 3).state_dict().Keys.ToArray());
        Assert.Equal(["weight"], new Conv2d(1, 2, 3, bias: false).state_dict().Keys.ToArray());
        Assert.Empty(new InstanceNorm2d(4).state_dict().Keys);
    }
}

using CycleGan.App.Layers;

namespace CycleGan.App.Evaluation;

/// <summary>Inception's unit: a convolution without bias, batch normalisation with eps 0.001 (TensorFlow's), ReLU.
/// Keys: conv.weight, bn.weight, bn.bias, bn.running_mean, bn.running_var, bn.num_batches_tracked.</summary>
public sealed class BasicConv2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051 // PyTorch's names, so state-dict keys line up
    public readonly Conv2d conv;
    public readonly BatchNorm2d bn;
#pragma warning restore IDE1006, SA1300, CA1051

    public BasicConv2d(int inChannels, int outChannels, Size2 kernel, Size2? stride = null, ConvPadding? padding = null)
        : base(nameof(BasicConv2d))
    {
        conv = new Conv2d(inChannels, outChannels, kernel, stride, padding, bias: false);
        bn = new BatchNorm2d(outChannels, eps: 0.001);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => nn.functional.relu(bn.call(conv.call(input)));
}

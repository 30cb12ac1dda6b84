using CycleGan.App.Layers;
using CycleGan.App.Models;
using CycleGan.App.Verification.Catalogue;
using CycleGan.Kernels;

namespace CycleGan.Tests.Models;

/// <summary>
/// Computes a network layer by layer with the managed reference kernels, reading each layer's weights from the
/// TorchSharp module, and returns the output with a function that back-propagates an output gradient to the input.
/// It covers the ResNet generator and the PatchGAN and pixel discriminators (the U-Net's in-place skip is left out).
/// </summary>
public static class ReferenceNetwork
{
    public delegate RefTensor Backward(RefTensor gradOutput);

    public static (RefTensor Output, Backward Backward) Run(nn.Module module, RefTensor x) => module switch
    {
        ResnetGenerator g => Run(g.Layers, x),
        NLayerDiscriminator d => Run(d.Layers, x),
        PixelDiscriminator p => Run(p.Layers, x),
        Sequence s => Chain(s, x),
        ResnetBlock b => Residual(b, x),
        ReflectionPad2d pad => Pad(pad, x),
        Conv2d conv => Convolution(conv, x),
        ConvTranspose2d up => Transposed(up, x),
        InstanceNorm2d norm => Norm(norm, x, perInstance: true, norm.training || norm.running_mean is null, norm.Eps),
        BatchNorm2d norm => Norm(norm, x, perInstance: false, norm.training || norm.running_mean is null, norm.Eps),
        ReLU => Pointwise(x, v => Math.Max(0, v), v => v > 0 ? 1 : 0),
        LeakyReLU leaky => Pointwise(x, PointwiseKernels.LeakyRelu(leaky.NegativeSlope), PointwiseKernels.LeakyReluGrad(leaky.NegativeSlope)),
        Tanh => Pointwise(x, Math.Tanh, PointwiseKernels.TanhGrad),
        Identity => (x, g => g),
        Dropout { training: false } => (x, g => g),
        _ => throw new NotSupportedException($"the reference computation has no kernel for {module.GetType().Name}"),
    };

    private static (RefTensor, Backward) Chain(Sequence sequence, RefTensor x)
    {
        var backwards = new List<Backward>();
        foreach (var layer in sequence.Layers)
        {
            var (y, back) = Run(layer, x);
            backwards.Add(back);
            x = y;
        }

        return (x, g =>
        {
            for (int i = backwards.Count - 1; i >= 0; i--)
            {
                g = backwards[i](g);
            }

            return g;
        });
    }

    private static (RefTensor, Backward) Residual(ResnetBlock block, RefTensor x)
    {
        var (inner, back) = Run(block.Block, x);
        var y = x.Clone();
        for (int i = 0; i < y.Count; i++)
        {
            y.Data[i] += inner.Data[i];
        }

        return (y, g =>
        {
            RefTensor through = back(g);
            var sum = g.Clone();
            for (int i = 0; i < sum.Count; i++)
            {
                sum.Data[i] += through.Data[i];
            }

            return sum;
        });
    }

    private static (RefTensor, Backward) Pad(ReflectionPad2d pad, RefTensor x)
    {
        var args = new Pad2dKernel.Args(pad.Padding.Left, pad.Padding.Right, pad.Padding.Top, pad.Padding.Bottom, "reflect");
        int[] shape = x.Shape;
        return (Pad2dKernel.Forward(x, args), g => Pad2dKernel.Backward(g, shape, args));
    }

    private static (RefTensor, Backward) Convolution(Conv2d conv, RefTensor x)
    {
        RefTensor w = TensorConversion.ToRef(conv.weight);
        RefTensor? b = conv.bias is null ? null : TensorConversion.ToRef(conv.bias);
        bool explicitPad = conv.PaddingMode != "zeros";
        var pad = new Pad2dKernel.Args(conv.PadLeft, conv.PadRight, conv.PadTop, conv.PadBottom, conv.PaddingMode);
        RefTensor input = explicitPad ? Pad2dKernel.Forward(x, pad) : x;
        var args = explicitPad
            ? new Conv2dKernel.Args(conv.Stride.H, conv.Stride.W, 0, 0, 0, 0, conv.Dilation.H, conv.Dilation.W, conv.Groups)
            : new Conv2dKernel.Args(conv.Stride.H, conv.Stride.W, conv.PadTop, conv.PadBottom, conv.PadLeft, conv.PadRight, conv.Dilation.H, conv.Dilation.W, conv.Groups);
        int[] shape = x.Shape;
        return (Conv2dKernel.Forward(input, w, b, args), g =>
        {
            RefTensor gi = Conv2dKernel.Backward(input, w, g, args).GradInput;
            return explicitPad ? Pad2dKernel.Backward(gi, shape, pad) : gi;
        });
    }

    private static (RefTensor, Backward) Transposed(ConvTranspose2d up, RefTensor x)
    {
        RefTensor w = TensorConversion.ToRef(up.weight);
        RefTensor? b = up.bias is null ? null : TensorConversion.ToRef(up.bias);
        var args = new ConvTranspose2dKernel.Args(up.Stride.H, up.Stride.W, up.Padding.H, up.Padding.W, up.OutputPadding.H, up.OutputPadding.W,
            up.Dilation.H, up.Dilation.W, up.Groups);
        return (ConvTranspose2dKernel.Forward(x, w, b, args), g => ConvTranspose2dKernel.Backward(x, w, g, args).GradInput);
    }

    private static (RefTensor, Backward) Norm(nn.Module norm, RefTensor x, bool perInstance, bool batchStatistics, double eps)
    {
        var parameters = norm.named_parameters().ToDictionary(p => p.name, p => TensorConversion.ToRef(p.parameter));
        RefTensor? w = parameters.GetValueOrDefault("weight"), b = parameters.GetValueOrDefault("bias");
        if (batchStatistics)
        {
            var forward = NormKernels.TrainForward(x, w, b, eps, perInstance);
            return (forward.Output, g => NormKernels.TrainBackward(x, w, b is not null, forward, eps, g, perInstance).Input);
        }

        var buffers = norm.named_buffers().ToDictionary(p => p.name, p => TensorConversion.ToRef(p.buffer));
        RefTensor rm = buffers["running_mean"], rv = buffers["running_var"];
        return (NormKernels.EvalForward(x, w, b, rm, rv, eps, perInstance),
            g => NormKernels.EvalBackward(x, w, b is not null, rm, rv, eps, g, perInstance).Input);
    }

    private static (RefTensor, Backward) Pointwise(RefTensor x, Func<double, double> f, Func<double, double> derivative) =>
        (PointwiseKernels.Forward(x, f), g => PointwiseKernels.Backward(x, g, derivative));
}

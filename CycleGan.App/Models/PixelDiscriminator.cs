using CycleGan.App.Layers;

namespace CycleGan.App.Models;

/// <summary>The 1x1 PatchGAN: per-pixel real/fake scores from 1x1 convolutions. Keys follow the reference (net.0.weight, ...).</summary>
public sealed class PixelDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Sequence net;

    public PixelDiscriminator(int inputNc, int ndf = 64, NormKind norm = NormKind.Instance)
        : base(nameof(PixelDiscriminator))
    {
        LayerArguments.Positive(inputNc, "input_nc");
        LayerArguments.Positive(ndf, "ndf");
        InputNc = inputNc;
        bool bias = Norms.ConvBias(norm);
        net = new Sequence(
        [
            new Conv2d(inputNc, ndf, 1, stride: 1, padding: 0),
            new LeakyReLU(0.2, inplace: true),
            new Conv2d(ndf, ndf * 2, 1, stride: 1, padding: 0, bias: bias),
            Norms.Create(norm, ndf * 2),
            new LeakyReLU(0.2, inplace: true),
            new Conv2d(ndf * 2, 1, 1, stride: 1, padding: 0, bias: bias),
        ]);
        RegisterComponents();
    }

    public int InputNc { get; }

    /// <summary>The layers in order, for the layer-by-layer reference computation.</summary>
    internal Sequence Layers => net;

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(PixelDiscriminator), [4], InputNc);
        return net.call(input);
    }
}

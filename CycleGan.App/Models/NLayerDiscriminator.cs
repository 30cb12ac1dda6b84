using CycleGan.App.Layers;

namespace CycleGan.App.Models;

/// <summary>
/// The PatchGAN discriminator: 4x4 convolutions, stride 2 for the first n_layers, LeakyReLU(0.2), a one-channel map
/// of per-patch scores. Keys follow the reference (model.0.weight, model.2.weight, ...).
/// </summary>
public sealed class NLayerDiscriminator : nn.Module<Tensor, Tensor>
{
    private const int Kernel = 4;
    private const int Pad = 1;
    private readonly Sequence model;

    public NLayerDiscriminator(int inputNc, int ndf = 64, int nLayers = 3, NormKind norm = NormKind.Instance)
        : base(nameof(NLayerDiscriminator))
    {
        LayerArguments.Positive(inputNc, "input_nc");
        LayerArguments.Positive(ndf, "ndf");
        LayerArguments.Positive(nLayers, "n_layers");
        InputNc = inputNc;
        NLayers = nLayers;
        bool bias = Norms.ConvBias(norm);
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            new Conv2d(inputNc, ndf, Kernel, stride: 2, padding: Pad),
            new LeakyReLU(0.2, inplace: true),
        };
        int mult = 1;
        for (int n = 1; n < nLayers; n++)
        {
            int previous = mult;
            mult = Math.Min(1 << n, 8);
            layers.Add(new Conv2d(ndf * previous, ndf * mult, Kernel, stride: 2, padding: Pad, bias: bias));
            layers.Add(Norms.Create(norm, ndf * mult));
            layers.Add(new LeakyReLU(0.2, inplace: true));
        }

        int last = mult;
        mult = Math.Min(1 << nLayers, 8);
        layers.Add(new Conv2d(ndf * last, ndf * mult, Kernel, stride: 1, padding: Pad, bias: bias));
        layers.Add(Norms.Create(norm, ndf * mult));
        layers.Add(new LeakyReLU(0.2, inplace: true));
        layers.Add(new Conv2d(ndf * mult, 1, Kernel, stride: 1, padding: Pad));
        model = new Sequence(layers);
        RegisterComponents();
    }

    public int InputNc { get; }

    public int NLayers { get; }

    /// <summary>The output side for an input side: each stride-2 4x4 conv maps s to floor(s/2), each stride-1 one to s-1.</summary>
    public long OutputSize(long side)
    {
        for (int i = 0; i < NLayers; i++)
        {
            side = ((side + (2 * Pad) - Kernel) / 2) + 1;
        }

        return side - 2; // two stride-1 4x4 convolutions with padding 1
    }

    /// <summary>The smallest input side that leaves at least a 1x1 patch map.</summary>
    public long MinimumSize()
    {
        long side = 1;
        while (OutputSize(side) < 1 || !ValidAllTheWay(side))
        {
            side++;
        }

        return side;
    }

    /// <summary>The layers in order, for the layer-by-layer reference computation.</summary>
    internal Sequence Layers => model;

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(NLayerDiscriminator), [4], InputNc);
        long h = input.shape[2], w = input.shape[3];
        if (!ValidAllTheWay(h) || !ValidAllTheWay(w) || OutputSize(h) < 1 || OutputSize(w) < 1)
        {
            throw new ArgumentException(
                $"NLayerDiscriminator with n_layers {NLayers} needs image sides of at least {MinimumSize()} (its receptive field); got {h}x{w}",
                nameof(input));
        }

        return model.call(input);
    }

    private bool ValidAllTheWay(long side)
    {
        for (int i = 0; i < NLayers; i++)
        {
            side = ((side + (2 * Pad) - Kernel) / 2) + 1;
            if (side < 1)
            {
                return false;
            }
        }

        return side - 1 >= 1 && side - 2 >= 1;
    }
}

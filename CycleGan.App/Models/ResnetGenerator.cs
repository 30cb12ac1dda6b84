using CycleGan.App.Layers;

namespace CycleGan.App.Models;

/// <summary>
/// The CycleGAN ResNet generator: a 7x7 stem, two stride-2 downsamplings, residual blocks, two transposed-convolution
/// upsamplings and a 7x7 Tanh head. Submodules sit in a Sequential named 'model' and each residual block's in
/// 'conv_block', so state-dict keys are the PyTorch reference's (model.1.weight, model.10.conv_block.1.weight, ...).
/// </summary>
public sealed class ResnetGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Sequence model;

    public ResnetGenerator(int inputNc, int outputNc, int ngf = 64, NormKind norm = NormKind.Instance, bool useDropout = false, int nBlocks = 6)
        : base(nameof(ResnetGenerator))
    {
        LayerArguments.Positive(inputNc, "input_nc");
        LayerArguments.Positive(outputNc, "output_nc");
        LayerArguments.Positive(ngf, "ngf");
        LayerArguments.NonNegative(nBlocks, "n_blocks");
        InputNc = inputNc;
        bool bias = Norms.ConvBias(norm);
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            new ReflectionPad2d(3),
            new Conv2d(inputNc, ngf, 7, padding: 0, bias: bias),
            Norms.Create(norm, ngf),
            new ReLU(inplace: true),
        };

        const int downsamplings = 2;
        for (int i = 0; i < downsamplings; i++)
        {
            int mult = 1 << i;
            layers.Add(new Conv2d(ngf * mult, ngf * mult * 2, 3, stride: 2, padding: 1, bias: bias));
            layers.Add(Norms.Create(norm, ngf * mult * 2));
            layers.Add(new ReLU(inplace: true));
        }

        int channels = ngf << downsamplings;
        for (int i = 0; i < nBlocks; i++)
        {
            layers.Add(new ResnetBlock(channels, norm, useDropout, bias));
        }

        for (int i = 0; i < downsamplings; i++)
        {
            int mult = 1 << (downsamplings - i);
            layers.Add(new ConvTranspose2d(ngf * mult, ngf * mult / 2, 3, stride: 2, padding: 1, output_padding: 1, bias: bias));
            layers.Add(Norms.Create(norm, ngf * mult / 2));
            layers.Add(new ReLU(inplace: true));
        }

        layers.Add(new ReflectionPad2d(3));
        layers.Add(new Conv2d(ngf, outputNc, 7, padding: 0));
        layers.Add(new Tanh());
        model = new Sequence(layers);
        RegisterComponents();
    }

    public int InputNc { get; }

    /// <summary>Sides must be multiples of 4 (two stride-2 stages undone exactly by the upsampling) and at least 8.</summary>
    public const int SizeMultiple = 4;

    public const int MinimumSize = 8;

    /// <summary>The layers in order, for the layer-by-layer reference computation.</summary>
    internal Sequence Layers => model;

    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        return model.call(input);
    }

    private void CheckInput(Tensor input)
    {
        LayerArguments.Input(input, nameof(ResnetGenerator), [4], InputNc);
        long h = input.shape[2], w = input.shape[3];
        if (h % SizeMultiple != 0 || w % SizeMultiple != 0 || h < MinimumSize || w < MinimumSize)
        {
            throw new ArgumentException(
                $"ResnetGenerator needs image sides that are multiples of {SizeMultiple} and at least {MinimumSize}; got {h}x{w}", nameof(input));
        }
    }
}

/// <summary>A residual block: x + (pad, conv3x3, norm, ReLU, [dropout], pad, conv3x3, norm)(x).</summary>
public sealed class ResnetBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequence conv_block;

    public ResnetBlock(int dim, NormKind norm, bool useDropout, bool bias)
        : base(nameof(ResnetBlock))
    {
        var layers = new List<nn.Module<Tensor, Tensor>>
        {
            new ReflectionPad2d(1),
            new Conv2d(dim, dim, 3, padding: 0, bias: bias),
            Norms.Create(norm, dim),
            new ReLU(inplace: true),
        };
        if (useDropout)
        {
            layers.Add(new Dropout(0.5));
        }

        layers.Add(new ReflectionPad2d(1));
        layers.Add(new Conv2d(dim, dim, 3, padding: 0, bias: bias));
        layers.Add(Norms.Create(norm, dim));
        conv_block = new Sequence(layers);
        RegisterComponents();
    }

    internal Sequence Block => conv_block;

    public override Tensor forward(Tensor input)
    {
        using Tensor residual = conv_block.call(input);
        return input.Plus(residual);
    }
}

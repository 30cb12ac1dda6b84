using CycleGan.App.Layers;

namespace CycleGan.App.Models;

/// <summary>
/// The U-Net generator (unet_128: 7 downsamplings, unet_256: 8): nested skip-connection blocks from the outermost
/// inwards, each halving the resolution with a 4x4 stride-2 convolution and restoring it with a transposed one.
/// Keys follow the reference (model.model.0.weight, model.model.1.model.1.weight, ...).
/// </summary>
public sealed class UnetGenerator : nn.Module<Tensor, Tensor>
{
    private readonly UnetSkipConnectionBlock model;

    public UnetGenerator(int inputNc, int outputNc, int numDowns, int ngf = 64, NormKind norm = NormKind.Batch, bool useDropout = false)
        : base(nameof(UnetGenerator))
    {
        LayerArguments.Positive(inputNc, "input_nc");
        LayerArguments.Positive(outputNc, "output_nc");
        LayerArguments.Positive(ngf, "ngf");
        if (numDowns < 5)
        {
            throw new ArgumentException($"num_downs must be at least 5, got {numDowns}", nameof(numDowns));
        }

        InputNc = inputNc;
        NumDowns = numDowns;
        var block = new UnetSkipConnectionBlock(ngf * 8, ngf * 8, norm: norm, innermost: true);
        for (int i = 0; i < numDowns - 5; i++)
        {
            block = new UnetSkipConnectionBlock(ngf * 8, ngf * 8, submodule: block, norm: norm, useDropout: useDropout);
        }

        block = new UnetSkipConnectionBlock(ngf * 4, ngf * 8, submodule: block, norm: norm);
        block = new UnetSkipConnectionBlock(ngf * 2, ngf * 4, submodule: block, norm: norm);
        block = new UnetSkipConnectionBlock(ngf, ngf * 2, submodule: block, norm: norm);
        model = new UnetSkipConnectionBlock(outputNc, ngf, inputNc: inputNc, submodule: block, outermost: true, norm: norm);
        RegisterComponents();
    }

    public int InputNc { get; }

    public int NumDowns { get; }

    /// <summary>Each side must be a multiple of 2^num_downs (128 for unet_128, 256 for unet_256), so the innermost map is 1x1 or larger.</summary>
    public long SizeMultiple => 1L << NumDowns;

    /// <summary>The outermost block, for walks over the network (ONNX export).</summary>
    internal UnetSkipConnectionBlock Root => model;

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(UnetGenerator), [4], InputNc);
        long h = input.shape[2], w = input.shape[3];
        if (h % SizeMultiple != 0 || w % SizeMultiple != 0)
        {
            throw new ArgumentException(
                $"UnetGenerator with {NumDowns} downsamplings needs image sides that are multiples of {SizeMultiple} (minimum {SizeMultiple}); got {h}x{w}",
                nameof(input));
        }

        return model.call(input);
    }
}

/// <summary>One level of the U-Net: down, the inner levels, up, and (except outermost) the skip concatenation.</summary>
public sealed class UnetSkipConnectionBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequence model;
    private readonly bool outermost;

    public UnetSkipConnectionBlock(int outerNc, int innerNc, int? inputNc = null, UnetSkipConnectionBlock? submodule = null,
        bool outermost = false, bool innermost = false, NormKind norm = NormKind.Batch, bool useDropout = false)
        : base(nameof(UnetSkipConnectionBlock))
    {
        this.outermost = outermost;
        bool bias = Norms.ConvBias(norm);
        int input = inputNc ?? outerNc;
        var downconv = new Conv2d(input, innerNc, 4, stride: 2, padding: 1, bias: bias);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (outermost)
        {
            layers.Add(downconv);
            layers.Add(submodule ?? throw new ArgumentException("the outermost block needs a submodule", nameof(submodule)));
            layers.Add(new ReLU(inplace: true));
            layers.Add(new ConvTranspose2d(innerNc * 2, outerNc, 4, stride: 2, padding: 1));
            layers.Add(new Tanh());
        }
        else if (innermost)
        {
            layers.Add(new LeakyReLU(0.2, inplace: true));
            layers.Add(downconv);
            layers.Add(new ReLU(inplace: true));
            layers.Add(new ConvTranspose2d(innerNc, outerNc, 4, stride: 2, padding: 1, bias: bias));
            layers.Add(Norms.Create(norm, outerNc));
        }
        else
        {
            layers.Add(new LeakyReLU(0.2, inplace: true));
            layers.Add(downconv);
            layers.Add(Norms.Create(norm, innerNc));
            layers.Add(submodule ?? throw new ArgumentException("an intermediate block needs a submodule", nameof(submodule)));
            layers.Add(new ReLU(inplace: true));
            layers.Add(new ConvTranspose2d(innerNc * 2, outerNc, 4, stride: 2, padding: 1, bias: bias));
            layers.Add(Norms.Create(norm, outerNc));
            if (useDropout)
            {
                layers.Add(new Dropout(0.5));
            }
        }

        model = new Sequence(layers);
        RegisterComponents();
    }

    /// <summary>The block's layers in order (its submodule among them), for walks over the network.</summary>
    internal Sequence Layers => model;

    /// <summary>The outermost block returns its layers' output; the others concatenate it to their input.</summary>
    internal bool Outermost => outermost;

    public override Tensor forward(Tensor input) =>
        outermost ? model.call(input) : torch.cat([input, model.call(input)], 1);
}

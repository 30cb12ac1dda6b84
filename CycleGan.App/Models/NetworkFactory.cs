using CycleGan.App.Config;

namespace CycleGan.App.Models;

/// <summary>Builds the CycleGAN's networks from a config's model section, initialised as the reference does.</summary>
public static class NetworkFactory
{
    public static nn.Module<Tensor, Tensor> Generator(ModelConfig model, int inputNc, int outputNc, bool initialise = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        NormKind norm = Norms.Parse(model.Norm);
        bool dropout = !model.NoDropout;
        nn.Module<Tensor, Tensor> net = model.NetG switch
        {
            "resnet_9blocks" => new ResnetGenerator(inputNc, outputNc, model.Ngf, norm, dropout, nBlocks: 9),
            "resnet_6blocks" => new ResnetGenerator(inputNc, outputNc, model.Ngf, norm, dropout, nBlocks: 6),
            "unet_128" or "unet_256" => new UnetGenerator(inputNc, outputNc, UnetLevels(model.NetG), model.Ngf, norm, dropout),
            _ => throw new ArgumentException(ConfigRules.OneOf("model.netG", model.NetG, ModelConfig.Generators), nameof(model)),
        };
        if (initialise)
        {
            WeightInit.Apply(net, model.InitType, model.InitGain);
        }

        return net;
    }

    /// <summary>Image sides generator <paramref name="netG"/> takes must be multiples of this: a ResNet halves them twice
    /// and doubles them back, a U-Net halves them once per level.</summary>
    public static int SideMultiple(string netG) => netG switch
    {
        "unet_128" or "unet_256" => 1 << UnetLevels(netG),
        "resnet_9blocks" or "resnet_6blocks" => ResnetGenerator.SizeMultiple,
        _ => throw new ArgumentException(ConfigRules.OneOf("model.netG", netG, ModelConfig.Generators), nameof(netG)),
    };

    /// <summary>unet_128 has 7 downsamplings (128 = 2^7), unet_256 has 8.</summary>
    private static int UnetLevels(string netG) => netG == "unet_128" ? 7 : 8;

    public static nn.Module<Tensor, Tensor> Discriminator(ModelConfig model, int inputNc, bool initialise = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        NormKind norm = Norms.Parse(model.Norm);
        nn.Module<Tensor, Tensor> net = model.NetD switch
        {
            "basic" => new NLayerDiscriminator(inputNc, model.Ndf, nLayers: 3, norm),
            "n_layers" => new NLayerDiscriminator(inputNc, model.Ndf, model.NLayersD, norm),
            "pixel" => new PixelDiscriminator(inputNc, model.Ndf, norm),
            _ => throw new ArgumentException(ConfigRules.OneOf("model.netD", model.NetD, ModelConfig.Discriminators), nameof(model)),
        };
        if (initialise)
        {
            WeightInit.Apply(net, model.InitType, model.InitGain);
        }

        return net;
    }

    /// <summary>The four networks of a CycleGAN: G_A: A->B, G_B: B->A, D_A judges domain B, D_B judges domain A.</summary>
    public static (string Name, nn.Module<Tensor, Tensor> Net, int InputNc)[] CycleGan(CycleGanConfig config, bool initialise = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        int a = config.Data.InputNc, b = config.Data.OutputNc;
        return
        [
            ("G_A", Generator(config.Model, a, b, initialise), a),
            ("G_B", Generator(config.Model, b, a, initialise), b),
            ("D_A", Discriminator(config.Model, b, initialise), b),
            ("D_B", Discriminator(config.Model, a, initialise), a),
        ];
    }

    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());
}

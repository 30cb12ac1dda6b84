using CycleGan.App.Config;
using CycleGan.App.Models;

namespace CycleGan.Tests.Models;

public class NetworkStructureTests
{
    private static string[] Expected(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Models", "ExpectedKeys", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static string[] Actual(nn.Module module) =>
        module.named_parameters().Select(p => $"{p.name} {string.Join(",", p.parameter.shape)}").ToArray();

    [Fact]
    public void Resnet_9blocks_has_the_reference_keys_shapes_and_parameter_count()
    {
        using var g = new ResnetGenerator(3, 3, 64, NormKind.Instance, useDropout: false, nBlocks: 9);
        Assert.Equal(Expected("resnet_9blocks_instance.txt"), Actual(g));
        Assert.Equal(11_378_179, NetworkFactory.ParameterCount(g));
    }

    [Fact]
    public void Basic_patchgan_has_the_reference_keys_shapes_and_parameter_count()
    {
        using var d = new NLayerDiscriminator(3, 64, 3, NormKind.Instance);
        Assert.Equal(Expected("basic_instance.txt"), Actual(d));
        Assert.Equal(2_764_737, NetworkFactory.ParameterCount(d));
    }

    [Fact]
    public void Full_size_networks_map_256_images_as_the_paper()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var g = new ResnetGenerator(3, 3, 64, NormKind.Instance, false, 9);
        Assert.Equal(new long[] { 2, 3, 256, 256 }, g.call(torch.zeros(2, 3, 256, 256)).shape);
        var d = new NLayerDiscriminator(3, 64, 3, NormKind.Instance);
        Assert.Equal(new long[] { 1, 1, 30, 30 }, d.call(torch.zeros(1, 3, 256, 256)).shape);
    }

    [Theory]
    [InlineData("resnet_6blocks", "basic", "instance", 32, 2)]
    [InlineData("resnet_9blocks", "n_layers", "batch", 24, 2)]
    [InlineData("unet_128", "pixel", "batch", 128, 1)]
    [InlineData("unet_256", "basic", "none", 256, 1)]
    public void Factory_builds_every_configured_network(string netG, string netD, string norm, int side, int batch)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var config = ConfigLoader.Parse("{}", "test", [$"model.netG={netG}", $"model.netD={netD}", $"model.norm={norm}", "model.ngf=4", "model.ndf=4", "model.n_layers_D=2", "data.output_nc=1", "train.lambda_identity=0"]);
        foreach (var (name, net, inputNc) in NetworkFactory.CycleGan(config))
        {
            net.eval();
            var y = net.call(torch.randn(batch, inputNc, side, side));
            Assert.Equal(batch, y.shape[0]);
            if (name.StartsWith('G'))
            {
                Assert.Equal(new long[] { batch, name == "G_A" ? 1 : 3, side, side }, y.shape);
                Assert.True(y.abs().max().item<float>() <= 1, "the generator ends in Tanh");
            }
        }
    }

    [Fact]
    public void Batch_norm_networks_carry_running_statistics_and_no_conv_bias()
    {
        using var g = new ResnetGenerator(3, 3, 8, NormKind.Batch, false, 2);
        var keys = g.state_dict().Keys.ToList();
        Assert.Contains("model.2.running_mean", keys);
        Assert.Contains("model.10.conv_block.2.num_batches_tracked", keys);
        Assert.DoesNotContain("model.1.bias", keys);
        Assert.Contains("model.2.bias", keys);
        Assert.Contains("model.19.bias", keys); // the last convolution always has a bias
    }

    [Fact]
    public void Dropout_sits_inside_the_residual_block_as_in_the_reference()
    {
        using var g = new ResnetGenerator(3, 3, 8, NormKind.Instance, useDropout: true, nBlocks: 1);
        var keys = g.state_dict().Keys.ToList();
        Assert.Contains("model.10.conv_block.6.weight", keys); // the second conv moves from 5 to 6
    }

    [Fact]
    public void Unet_keys_nest_as_in_the_reference()
    {
        using var g = new UnetGenerator(3, 3, 7, 4, NormKind.Batch);
        var keys = g.state_dict().Keys.ToList();
        Assert.Contains("model.model.0.weight", keys); // outermost down-convolution
        Assert.Contains("model.model.3.weight", keys); // outermost up-convolution
        Assert.Contains("model.model.3.bias", keys);
        Assert.Contains("model.model.1.model.1.weight", keys); // second level's down-convolution
        Assert.Contains("model.model.1.model.2.running_mean", keys);
        Assert.DoesNotContain("model.model.1.model.1.bias", keys); // batch norm: no conv bias
        Assert.Equal(54_413_955, NetworkFactory.ParameterCount(new UnetGenerator(3, 3, 8, 64, NormKind.Batch)));
    }

    [Theory]
    [InlineData(30, "multiples of 4")]
    [InlineData(4, "at least 8")]
    public void Resnet_rejects_sizes_it_cannot_take(int side, string expected)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 1);
        var ex = Assert.Throws<ArgumentException>(() => g.call(torch.zeros(1, 3, side, side)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Unet_and_discriminator_name_their_minimum()
    {
        using var scope = torch.NewDisposeScope();
        using var u = new UnetGenerator(3, 3, 7, 4, NormKind.Batch);
        Assert.Contains("multiples of 128", Assert.Throws<ArgumentException>(() => u.call(torch.zeros(1, 3, 64, 64))).Message);
        using var d = new NLayerDiscriminator(3, 4, 3);
        Assert.Contains("at least", Assert.Throws<ArgumentException>(() => d.call(torch.zeros(1, 3, 8, 8))).Message);
        Assert.Equal(new long[] { 1, 1, 1, 1 }, d.call(torch.zeros(1, 3, d.MinimumSize(), d.MinimumSize())).shape);
    }

    [Fact]
    public void Wrong_channel_count_is_refused()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 1);
        var ex = Assert.Throws<ArgumentException>(() => g.call(torch.zeros(1, 1, 16, 16)));
        Assert.Contains("3 channels", ex.Message);
    }
}

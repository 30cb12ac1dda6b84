using CycleGan.App.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.Tests.Models;

public class WeightInitTests
{
    [Fact]
    public void Normal_init_draws_weights_with_the_gain_as_deviation_and_zero_biases()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(1);
        using var d = new NLayerDiscriminator(3, 16, 3, NormKind.Batch);
        WeightInit.Apply(d, "normal", 0.02);
        var conv = d.named_parameters().First(p => p.name == "model.2.weight").parameter; // 32x16x4x4 = 8192 values
        Assert.InRange(conv.std().item<float>(), 0.019, 0.021);
        Assert.InRange(conv.mean().item<float>(), -0.001, 0.001);
        Assert.Equal(0f, d.named_parameters().First(p => p.name == "model.0.bias").parameter.abs().sum().item<float>());
        var bnWeight = d.named_parameters().First(p => p.name == "model.3.weight").parameter;
        Assert.InRange(bnWeight.mean().item<float>(), 0.98, 1.02); // BatchNorm weight ~ N(1, gain)
    }

    [Fact]
    public void Orthogonal_init_gives_orthogonal_rows_scaled_by_the_gain()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 1);
        WeightInit.Apply(g, "orthogonal", 0.5);
        var w = g.named_parameters().First(p => p.name == "model.4.weight").parameter.reshape(8, -1); // 8 x 36
        var gram = w.matmul(w.t());
        Assert.True(torch.allclose(gram, torch.eye(8) * 0.25, atol: 1e-5), "W W^T should be gain^2 I");
    }

    [Theory]
    [InlineData("xavier", 0.001527)] // gain * sqrt(2 / (fan_in + fan_out)) = 0.02 * sqrt(2 / (147 + 196))
    [InlineData("kaiming", 0.1166)] // sqrt(2 / fan_in) = sqrt(2 / 147); the reference passes no gain to kaiming
    public void Other_schemes_draw_with_their_deviation(string type, double expectedStd)
    {
        using var scope = torch.NewDisposeScope();
        using var g = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 1);
        var before = g.named_parameters().First(p => p.name == "model.1.weight").parameter.clone();
        WeightInit.Apply(g, type, 0.02);
        var after = g.named_parameters().First(p => p.name == "model.1.weight").parameter;
        Assert.False(torch.equal(before, after).all().item<bool>());
        // 588 draws: the sample deviation is within 15% of the true one with overwhelming probability
        Assert.InRange(after.std().item<float>(), expectedStd * 0.85, expectedStd * 1.15);
    }

    [Fact]
    public void Unknown_scheme_is_named()
    {
        using var g = new PixelDiscriminator(3, 4);
        Assert.Equal("initType", Assert.Throws<ArgumentException>(() => WeightInit.Apply(g, "uniform")).ParamName);
    }
}

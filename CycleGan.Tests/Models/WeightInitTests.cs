using CycleGan.App.Layers;
using CycleGan.App.Models;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Models;

[Collection(GlobalRandomCollection.Name)]
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
        AssertNormalDraws(conv.to(ScalarType.Float64).data<double>().ToArray(), 0, 0.02 * 0.02);
        Assert.Equal(0f, d.named_parameters().First(p => p.name == "model.0.bias").parameter.abs().sum().item<float>());
        var bnWeights = d.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal) && p.parameter.dim() == 1)
            .SelectMany(p => p.parameter.to(ScalarType.Float64).data<double>().ToArray()).ToList(); // 32 + 64 + 128 BatchNorm weights
        Assert.Equal(224, bnWeights.Count);
        AssertNormalDraws(bnWeights, 1, 0.02 * 0.02); // BatchNorm weight ~ N(1, gain)
    }

    [Fact]
    public void Orthogonal_init_gives_orthogonal_rows_scaled_by_the_gain()
    {
        using var scope = torch.NewDisposeScope();
        using var g = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 1);
        WeightInit.Apply(g, "orthogonal", 0.5);
        var w = g.named_parameters().First(p => p.name == "model.4.weight").parameter.reshape(8, -1); // 8 x 36
        var gram = w.matmul(w.t());
        Assert.True(torch.allclose(gram, torch.eye(8) * Scalars.Of(0.25), atol: 1e-5), "W W^T should be gain^2 I");
    }

    /// <summary>The first convolution of a ResNet generator with ngf 4: weight [4, 3, 7, 7], so fan_in = 3 x 49 = 147
    /// and fan_out = 4 x 49 = 196. Kaiming's fan_in and fan_out deviations are only 13% apart, so the draws of many
    /// initialisations are pooled until the variance is known to about 0.4%.</summary>
    [Theory]
    [InlineData("xavier", 0.02, 147, 196)] // gain * sqrt(2 / (fan_in + fan_out))
    [InlineData("kaiming", 0.02, 147, 196)] // sqrt(2 / fan_in): the reference passes no gain to kaiming (a = 0, mode fan_in)
    public void Other_schemes_draw_with_their_deviation(string type, double gain, int fanIn, int fanOut)
    {
        double expectedVariance = type == "xavier" ? gain * gain * 2.0 / (fanIn + fanOut) : 2.0 / fanIn;
        double wrongVariance = type == "xavier" ? gain * gain / fanIn : 2.0 / fanOut; // what a mix-up would draw

        const int initialisations = 200;
        var draws = new List<double>(initialisations * 588);
        torch.manual_seed(5);
        using var g = new ResnetGenerator(3, 3, 4, NormKind.Instance, false, 1);
        for (int i = 0; i < initialisations; i++)
        {
            using var scope = torch.NewDisposeScope();
            WeightInit.Apply(g, type, gain);
            var weight = g.named_parameters().First(p => p.name == "model.1.weight").parameter;
            Assert.Equal(new long[] { 4, 3, 7, 7 }, weight.shape);
            draws.AddRange(weight.to(ScalarType.Float64).data<double>().ToArray());
        }

        double tolerance = AssertNormalDraws(draws, 0, expectedVariance);
        Assert.True(Math.Abs(wrongVariance - expectedVariance) > 4 * tolerance, "the check could not tell fan_in from fan_out");
    }

    /// <summary>
    /// The draws' mean and variance (about the known mean) against a normal distribution's: each within 6 standard
    /// errors for this many draws (mean: sd / sqrt(n); variance: var * sqrt(2 / n)), so a correct initialisation fails
    /// about once in 10^9 and a deviation off by a few percent is caught. Returns the variance tolerance.
    /// </summary>
    private static double AssertNormalDraws(IReadOnlyList<double> draws, double mean, double variance)
    {
        int n = draws.Count;
        double sampleMean = draws.Average();
        double sampleVariance = draws.Sum(x => (x - mean) * (x - mean)) / n;
        double meanTolerance = 6 * Math.Sqrt(variance / n), varianceTolerance = 6 * variance * Math.Sqrt(2.0 / n);
        Assert.True(Math.Abs(sampleMean - mean) <= meanTolerance, $"mean {sampleMean:G5} of {n} draws, expected {mean} +- {meanTolerance:G3}");
        Assert.True(Math.Abs(sampleVariance - variance) <= varianceTolerance,
            $"variance {sampleVariance:G5} of {n} draws (std {Math.Sqrt(sampleVariance):G5}), expected {variance:G5} +- {varianceTolerance:G3} (std {Math.Sqrt(variance):G5})");
        return varianceTolerance;
    }

    [Fact]
    public void Unknown_scheme_is_named()
    {
        using var g = new PixelDiscriminator(3, 4);
        Assert.Equal("initType", Assert.Throws<ArgumentException>(() => WeightInit.Apply(g, "uniform")).ParamName);
    }
}

using CycleGan.App.Verification.Catalogue;
using CycleGan.App.Models;
using CycleGan.Kernels;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Models;

/// <summary>
/// Whole networks, TorchSharp against the managed kernels applied layer by layer with the same weights: the output
/// and the gradient with respect to the input, in float64 (tolerance 1e-10 relative, as for single layers).
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public class EndToEndReferenceTests
{
    private static void Check(nn.Module<Tensor, Tensor> net, int[] inputShape, int seed)
    {
        using var scope = torch.NewDisposeScope();
        net.to(ScalarType.Float64);
        var random = new Random(seed);
        RefTensor xr = RefTensor.Uniform(random, -1, 1, inputShape);
        Tensor x = TensorConversion.ToTorch(xr, ScalarType.Float64, torch.CPU).requires_grad_(true);
        Tensor y = net.call(x);
        RefTensor gr = RefTensor.Uniform(random, -1, 1, y.shape.Select(d => (int)d).ToArray());
        y.backward([TensorConversion.ToTorch(gr, ScalarType.Float64, torch.CPU)]);

        var (expected, backward) = ReferenceNetwork.Run(net, xr);
        var output = Comparisons.Compare("output", TensorConversion.ToRef(y), expected, Tolerances.Float64);
        var grad = Comparisons.Compare("grad input", TensorConversion.ToRef(x.grad!), backward(gr), Tolerances.Float64);
        Assert.True(output.Passed, $"output differs: rel {output.MaxRelError:G3} {output.Detail}");
        Assert.True(grad.Passed, $"input gradient differs: rel {grad.MaxRelError:G3} {grad.Detail}");
    }

    [Theory]
    [InlineData(NormKind.Instance, 1)]
    [InlineData(NormKind.None, 2)]
    public void Tiny_resnet_generator(NormKind norm, int blocks)
    {
        torch.manual_seed(11);
        var g = new ResnetGenerator(3, 2, 4, norm, useDropout: false, nBlocks: blocks);
        WeightInit.Apply(g, "normal", 0.3); // wide weights, so that every layer matters to the output
        Check(g, [2, 3, 16, 12], 1);
    }

    [Fact]
    public void Tiny_resnet_generator_with_batch_norm_in_eval()
    {
        torch.manual_seed(12);
        var g = new ResnetGenerator(1, 1, 4, NormKind.Batch, useDropout: true, nBlocks: 1);
        using (torch.NewDisposeScope())
        {
            g.call(torch.randn(3, 1, 16, 16)); // one training step moves the running statistics
        }

        g.eval(); // eval: running statistics, dropout off
        Check(g, [1, 1, 16, 16], 2);
    }

    [Theory]
    [InlineData(2, NormKind.Instance)]
    [InlineData(3, NormKind.Batch)]
    public void Tiny_patchgan_discriminator(int layers, NormKind norm)
    {
        torch.manual_seed(13);
        var d = new NLayerDiscriminator(3, 4, layers, norm);
        WeightInit.Apply(d, "normal", 0.3);
        Check(d, [2, 3, 32, 24], 3);
    }

    [Fact]
    public void Pixel_discriminator()
    {
        torch.manual_seed(14);
        var d = new PixelDiscriminator(3, 4, NormKind.Instance);
        Check(d, [2, 3, 6, 5], 4);
    }
}

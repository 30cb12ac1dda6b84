using CycleGan.App.Evaluation;
using CycleGan.App.Layers;

namespace CycleGan.Tests.Evaluation;

/// <summary>Inception weights holding NaN or infinity are refused when loaded, naming the tensors (otherwise every
/// feature, FID and KID would be NaN and best.ckpt chosen by it).</summary>
public sealed class InceptionWeightsFaultTests
{
    [Theory]
    [InlineData("Mixed_6c.branch7x7_2.conv.weight", double.NaN)]
    [InlineData("Conv2d_1a_3x3.bn.running_var", double.PositiveInfinity)]
    public void Non_finite_weights_are_refused_by_key(string key, double bad)
    {
        using var scope = torch.NewDisposeScope();
        using var net = new FidInception();
        var state = SplitMixWeights.StateDict();
        state[key].view(-1)[3].fill_(Scalars.Of(bad));
        var ex = Assert.Throws<InvalidDataException>(() => InceptionWeights.LoadInto(net, state, "weights.pth"));
        Assert.Contains("weights.pth", ex.Message);
        Assert.Contains("not finite", ex.Message);
        Assert.Contains(key, ex.Message);
        Assert.Contains("1 tensor(s)", ex.Message);
    }
}

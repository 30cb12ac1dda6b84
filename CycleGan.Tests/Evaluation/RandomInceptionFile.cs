using CycleGan.App.Evaluation;
using TorchSharp.PyBridge;

namespace CycleGan.Tests.Evaluation;

/// <summary>The random-weights FID Inception (the fixture script's weights) written as a .pth, for the commands that
/// take --inception-weights.</summary>
internal static class RandomInceptionFile
{
    public static string Write(string path)
    {
        using var scope = torch.NewDisposeScope();
        using var net = new FidInception();
        InceptionWeights.LoadInto(net, SplitMixWeights.StateDict(), "generated weights");
        net.save_py(path);
        return path;
    }
}

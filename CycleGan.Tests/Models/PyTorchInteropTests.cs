using CycleGan.App.Models;
using TorchSharp.PyBridge;

namespace CycleGan.Tests.Models;

/// <summary>Weights written as .pth load back unchanged. The networks start from whatever libtorch's global generator
/// gives (only their being different matters); the inputs come from this class's own generator.</summary>
public sealed class PyTorchInteropTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cyclegan-pth-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Generator_saved_as_pth_loads_back_with_identical_outputs()
    {
        using var scope = torch.NewDisposeScope();
        string path = Path.Combine(dir, "latest_net_G_A.pth");
        using var inputs = new Generator(3);
        var source = new ResnetGenerator(3, 3, 8, NormKind.Instance, false, 2);
        WeightInit.Apply(source, "normal", 0.02);
        source.save_py(path);

        var target = new ResnetGenerator(3, 3, 8, NormKind.Instance, false, 2);
        var x = torch.randn([1, 3, 16, 16], generator: inputs);
        using (torch.no_grad())
        {
            Assert.False(torch.equal(source.call(x), target.call(x)).all().item<bool>());
            target.load_py(path);
            Assert.True(torch.equal(source.call(x), target.call(x)).all().item<bool>());
        }
    }

    [Fact]
    public void Discriminator_with_batch_norm_round_trips_its_running_statistics()
    {
        using var scope = torch.NewDisposeScope();
        string path = Path.Combine(dir, "D.pth");
        using var inputs = new Generator(4);
        var source = new NLayerDiscriminator(3, 4, 2, NormKind.Batch);
        source.call(torch.randn([2, 3, 32, 32], generator: inputs)); // training step moves the running statistics
        source.save_py(path);
        var target = new NLayerDiscriminator(3, 4, 2, NormKind.Batch);
        target.load_py(path);
        source.eval();
        target.eval();
        var x = torch.randn([1, 3, 32, 32], generator: inputs);
        using var noGrad = torch.no_grad();
        Assert.True(torch.equal(source.call(x), target.call(x)).all().item<bool>());
    }
}

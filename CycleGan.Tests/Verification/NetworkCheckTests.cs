using CycleGan.App.Config;
using CycleGan.App.Devices;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using CycleGan.App.Verification;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Verification;

/// <summary>
/// The network-level check on small networks. It flips libtorch's process-wide oneDNN switch for its reference run,
/// so these tests run alone (the collection that runs nothing in parallel).
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public class NetworkCheckTests
{
    private static readonly ModelConfig Narrow = new() { Ngf = 8, Ndf = 8, NoDropout = true };

    public static TheoryData<string, string, int> Networks => new()
    {
        { "resnet_6blocks", "instance", 16 },
        { "unet_128", "batch", 128 },
        { "resnet_9blocks", "none", 12 },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Small_generators_pass_on_the_chosen_path(string netG, string norm, int side)
    {
        var model = Narrow with { NetG = netG, Norm = norm };
        var verdict = NetworkChecks.Run([new(netG, () => NetworkFactory.Generator(model, 3, 3, initialise: false), [2, 3, side, side])], 5).Single();
        Assert.True(verdict.Passed, Describe(verdict.Shown));
        Assert.All(verdict.Shown.Tensors, t => Assert.NotNull(t.Baseline));
        Assert.Equal(2 + NetworkFactory.Generator(model, 3, 3, initialise: false).parameters().Count(), verdict.Shown.Tensors.Count);
    }

    [Fact]
    public void The_configured_pair_passes_the_short_check_without_a_reference_run()
    {
        var config = new CycleGanConfig { Model = Narrow with { NetG = "resnet_6blocks", NetD = "n_layers", NLayersD = 2 } };
        var verdicts = NetworkChecks.Run(NetworkChecks.ForConfig(config), 1, withReference: false).ToList();
        Assert.Equal(2, verdicts.Count);
        Assert.All(verdicts, v => Assert.True(v.Passed, Describe(v.Shown)));
        Assert.All(verdicts, v => Assert.All(v.Shown.Tensors, t => Assert.Null(t.Baseline)));
    }

    [OneDnnOnTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_network_that_is_wrong_only_on_the_chosen_path_fails(bool withReference)
    {
        // A convolution that goes wrong by 30% in one output channel whenever oneDNN is on (the faults seen were
        // worse: errors near 1, or NaN). The reference run (oneDNN off) stays right, as the faulty kernels' did, and
        // the float64 run is right, as float64 kernels were.
        var verdict = NetworkChecks.Run([new("faulty", () => new FaultyWhenOneDnn(), [1, 3, 12, 12])], 3, withReference).Single();
        Assert.False(verdict.Passed);
        Assert.True(verdict.FailedDraws > NetworkChecks.Draws / 2);
        Assert.Contains(verdict.Shown.Tensors, t => t.Name == "output" && !t.Passed);
        Assert.Contains(verdict.Shown.Tensors, t => t.Name == "input gradient" && !t.Passed);
    }

    [ConvolutionsCheckedFact]
    public void The_raw_NCHW_path_fails_where_the_self_check_found_it_wrong()
    {        var model = Narrow with { NetD = "n_layers", NLayersD = 2, Ndf = 16 };
        using (TorchRuntime.Use(CpuConvolutionPath.Nchw))
        {
            var verdict = NetworkChecks.Run([new("raw", () => NetworkFactory.Discriminator(model, 3, initialise: false), [1, 3, 32, 32])], 2, withReference: false).Single();
            Assert.False(verdict.Passed, Describe(verdict.Shown));
        }
    }

    private static string Describe(NetworkCheckResult r) =>
        $"{r.Network} {r.Shape}: " + string.Join("; ", r.Tensors.Where(t => !t.Passed).Select(t => $"{t.Name} {t.Error:G3} > {t.Tolerance:G3}"));

    /// <summary>Conv2d, then a 30% error in the first output channel while oneDNN is on.</summary>
    private sealed class FaultyWhenOneDnn : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = new(3, 4, 3, padding: 1);

        public FaultyWhenOneDnn()
            : base(nameof(FaultyWhenOneDnn)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            Tensor y = conv.call(input);
            if (OneDnnSwitch.Enabled != true || y.dtype != ScalarType.Float32)
            {
                return y;
            }

            var scale = torch.ones([1, 4, 1, 1], dtype: y.dtype);
            scale[0, 0, 0, 0] = 1.3f;
            return y * scale;
        }
    }
}

using CycleGan.App.Training;
using Xunit.Abstractions;

namespace CycleGan.Tests.Training.ReferenceStep;

/// <summary>
/// The training step against the PyTorch reference's (pytorch-CycleGAN-and-pix2pix's optimize_parameters, run by
/// scripts/interop/make_step_fixtures.py): the same weights and batches, K iterations of CycleGanModel.Step in
/// float64, and every loss of every iteration, every weight and buffer afterwards and Adam's moments must agree to
/// float64 rounding. Layer construction draws from libtorch's global generator (before the fixture's weights
/// replace what it drew), hence the collection.
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public class ReferenceStepTests(ITestOutputHelper output)
{
    /// <summary>Relative to each tensor's largest magnitude; float64 replays agree to about 1e-14.</summary>
    private const double Tolerance = 1e-10;

    /// <summary>Every case in cases.json: lsgan, vanilla, wgangp; identity on and off; batch 1 and 2; ResNet and U-Net; instance and batch norm.</summary>
    public static TheoryData<string> Cases => new(StepCase.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_reproduces_the_reference(string name)
    {
        using var scope = torch.NewDisposeScope();
        StepCase fixture = StepCase.Load(name);
        using var model = new CycleGanModel(fixture.Train, fixture.Networks(), torch.CPU, new SeededRandom(1));
        model.Train();
        var failures = new List<string>();
        Tensor expectedLosses = fixture["losses"];
        for (int i = 0; i < fixture.Iterations; i++)
        {
            using var step = torch.NewDisposeScope();
            Tensor losses = model.Step(fixture.Batch(i, "A"), fixture.Batch(i, "B")).Losses;
            for (int j = 0; j < CycleGanModel.LossNames.Length; j++)
            {
                double actual = losses[j].item<double>(), expected = expectedLosses[i, j].item<double>();
                output.WriteLine($"iteration {i + 1} loss {CycleGanModel.LossNames[j]}: {actual:R} here, {expected:R} in the reference");
                if (!(Math.Abs(actual - expected) <= Tolerance * Math.Abs(expected)))
                {
                    failures.Add($"iteration {i + 1} loss {CycleGanModel.LossNames[j]}: {actual:R} here, {expected:R} in the reference");
                }
            }
        }

        // Steps that a gradient of rounding noise can make: Adam moves a parameter by lr * m / (sqrt(v) + eps), which
        // for |g| far below eps (1e-8) is about lr * |g| / eps; a real gradient moves it by about lr.
        double noiseStep = fixture.Iterations * fixture.Settings.Lr * 1e-5;
        foreach (var (netName, net) in model.Networks)
        {
            HashSet<string> cancelled = NormCancelledBiases(net);
            foreach (var (key, actual, expected) in fixture.Pairs(net, "final." + netName))
            {
                if (cancelled.Contains(key))
                {
                    CheckNoise($"{netName}.{key} (before a plain InstanceNorm)", actual, expected, fixture[$"init.{netName}.{key}"], noiseStep, failures);
                }
                else
                {
                    Check($"{netName}.{key}", actual, expected, failures);
                }
            }
        }

        if (fixture.Settings.Adam)
        {
            CheckAdam(fixture, model.OptimizerG, model.Networks.Take(2), "G", failures);
            CheckAdam(fixture, model.OptimizerD, model.Networks.Skip(2), "D", failures);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} differences from the reference:\n{string.Join("\n", failures.Take(20))}");
    }

    private void CheckAdam(StepCase fixture, TorchSharp.Modules.Adam optimizer, IEnumerable<(string Name, nn.Module<Tensor, Tensor> Net)> nets,
        string group, List<string> failures)
    {
        // Adam's state lists the parameters in the order the optimizer was given them: G_A's then G_B's (D_A's, D_B's).
        var states = optimizer.state_dict().State.Cast<TorchSharp.Modules.Adam.State>().ToList();
        var names = nets.SelectMany(n => n.Net.named_parameters().Select(p => $"{n.Name}.{p.name}")).ToList();
        Assert.Equal(names.Count, states.Count);
        var cancelled = nets.SelectMany(n => NormCancelledBiases(n.Net).Select(k => $"{n.Name}.{k}")).ToHashSet();
        for (int i = 0; i < names.Count; i++)
        {
            Tensor expectedAvg = fixture[$"adam.{group}.exp_avg.{names[i]}"], expectedSq = fixture[$"adam.{group}.exp_avg_sq.{names[i]}"];
            if (cancelled.Contains(names[i]))
            {
                // Moments of a rounding-noise gradient: far below what any real gradient leaves (compared with eps 1e-8).
                CheckNoise($"Adam {group} exp_avg {names[i]}", states[i].exp_avg, expectedAvg, torch.zeros_like(expectedAvg), 1e-12, failures);
                CheckNoise($"Adam {group} exp_avg_sq {names[i]}", states[i].exp_avg_sq, expectedSq, torch.zeros_like(expectedSq), 1e-24, failures);
            }
            else
            {
                Check($"Adam {group} exp_avg {names[i]}", states[i].exp_avg, expectedAvg, failures);
                Check($"Adam {group} exp_avg_sq {names[i]}", states[i].exp_avg_sq, expectedSq, failures);
            }
        }
    }

    /// <summary>
    /// The biases of convolutions followed by an InstanceNorm2d without affine parameters: the norm subtracts each
    /// channel's mean, so such a bias never reaches an output and its exact gradient is zero. What both sides compute
    /// is rounding noise (about 1e-17), which Adam turns into steps of about lr * 1e-9: compared apart, the check is
    /// that neither side moved it by more than noise, and that the two agree to that noise.
    /// </summary>
    private static HashSet<string> NormCancelledBiases(nn.Module net)
    {
        var modules = net.named_modules().ToDictionary(m => m.name, m => m.module);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, module) in modules)
        {
            int dot = name.LastIndexOf('.');
            if (module is not (App.Layers.Conv2d or App.Layers.ConvTranspose2d) || dot < 0 || !int.TryParse(name[(dot + 1)..], out int index))
            {
                continue;
            }

            string next = $"{name[..dot]}.{index + 1}";
            if (modules.TryGetValue(next, out var follower) && follower is App.Layers.InstanceNorm2d { weight: null } &&
                module.named_parameters(recurse: false).Any(p => p.name == "bias"))
            {
                keys.Add(name + ".bias");
            }
        }

        return keys;
    }

    private void CheckNoise(string what, Tensor actual, Tensor expected, Tensor initial, double noise, List<string> failures)
    {
        double moved = (actual - initial.to(ScalarType.Float64)).abs().max().item<double>();
        double movedReference = (expected - initial.to(ScalarType.Float64)).abs().max().item<double>();
        double diff = (actual - expected).abs().max().item<double>();
        output.WriteLine($"{what}: moved {moved:G3} here, {movedReference:G3} in the reference, max |diff| {diff:G3}, noise bound {noise:G3}");
        if (!(moved <= noise && movedReference <= noise && diff <= noise))
        {
            failures.Add($"{what}: moved {moved:G3} here and {movedReference:G3} in the reference (max |diff| {diff:G3}); rounding noise moves it by at most {noise:G3}");
        }
    }

    private void Check(string what, Tensor actual, Tensor expected, List<string> failures)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
        {
            failures.Add($"{what}: shape [{string.Join(",", actual.shape)}] here, [{string.Join(",", expected.shape)}] in the reference");
            return;
        }

        double scale = expected.abs().max().to(ScalarType.Float64).item<double>();
        double diff = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max().item<double>();
        double relative = diff / scale;
        output.WriteLine($"{what}: max |diff| {diff:G3}, relative {relative:G3}");
        if (!(diff <= Tolerance * scale))
        {
            failures.Add($"{what}: max |diff| {diff:G3}, {relative:G3} of its largest value {scale:G3}");
        }
    }
}

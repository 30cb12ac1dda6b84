using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Config;
using CycleGan.App.Devices;
using CycleGan.App.Training;

namespace CycleGan.Bench;

/// <summary>
/// `cyclegan bench-onednn` (hidden): what each CPU convolution path costs. Times the full CycleGAN step (both ResNet-9
/// generators and 3-layer PatchGAN discriminators, their losses, Adam, the pools) on random batches, with oneDNN on
/// NCHW tensors (the raw path, whose gradients may be wrong where the self-check fails: only its time counts here),
/// each convolution configuration on the kernels it checked right on (the path this project takes on such machines),
/// and oneDNN off, alternating in one process so that the ratios hold on a noisy
/// machine. Each path's figure is its fastest round.
/// </summary>
public static class BenchOneDnnCommand
{
    private static readonly (string Name, CpuConvolutionPath Path)[] Paths =
        [("oneDNN NCHW (raw)", CpuConvolutionPath.Nchw), ("checked per configuration", CpuConvolutionPath.Checked), ("oneDNN off", CpuConvolutionPath.OneDnnOff)];

    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "Image side", DefaultValueFactory = _ => 128 };
        var ngf = new Option<int>("--ngf") { Description = "Generator and discriminator width (ngf = ndf)", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds; the fastest round of each path counts", DefaultValueFactory = _ => 3 };
        var iterations = new Option<int>("--iterations") { Description = "Timed steps per path and round", DefaultValueFactory = _ => 3 };
        var command = new Command("bench-onednn", "Time the full CycleGAN training step on each CPU convolution path") { size, ngf, rounds, iterations };
        command.SetAction(parse => Run(parse.GetValue(size), parse.GetValue(ngf), parse.GetValue(rounds), parse.GetValue(iterations)));
        return command;
    }

    private static int Run(int side, int ngf, int rounds, int iterations)
    {
        var check = TorchRuntime.EnsureInitialized(keepOneDnn: true);
        Console.WriteLine($"libtorch: {check.Message}");
        var config = new CycleGanConfig { Model = new ModelConfig { Ngf = ngf, Ndf = ngf } };
        torch.manual_seed(1);
        using var model = new CycleGanModel(config, torch.CPU, new SeededRandom(1));
        model.Train();
        var generator = new Generator(2);
        using var realA = torch.empty([1, 3, side, side]).uniform_(-1, 1, generator);
        using var realB = torch.empty([1, 3, side, side]).uniform_(-1, 1, generator);
        var best = Paths.Select(_ => double.MaxValue).ToArray();
        Console.WriteLine($"CycleGAN step, ResNet-9 G and 3-layer PatchGAN D, ngf = ndf = {ngf}, {side}x{side}, batch 1, " +
                          $"{torch.get_num_threads()} threads; {iterations} steps per path and round, after one untimed step");
        for (int round = 1; round <= rounds; round++)
        {
            for (int p = 0; p < Paths.Length; p++)
            {
                using (TorchRuntime.Use(Paths[p].Path))
                {
                    Step(model, realA, realB); // the path's first step pays for its kernels' set-up
                    var clock = Stopwatch.StartNew();
                    for (int i = 0; i < iterations; i++)
                    {
                        Step(model, realA, realB);
                    }

                    best[p] = Math.Min(best[p], clock.Elapsed.TotalSeconds / iterations);
                }
            }

            Console.WriteLine($"  round {round}: " + string.Join(", ", Paths.Select((path, p) => $"{path.Name} {best[p]:F3}")) + " s/step (fastest so far)");
        }

        for (int p = 0; p < Paths.Length; p++)
        {
            Console.WriteLine($"  {Paths[p].Name,-22} {best[p],8:F3} s/step   {best[p] / best[0],5:F2}x the raw path, " +
                              $"{best[2] / best[p],5:F2}x as fast as oneDNN off");
        }

        return 0;
    }

    private static void Step(CycleGanModel model, Tensor realA, Tensor realB)
    {
        using var scope = torch.NewDisposeScope();
        model.Step(realA, realB);
    }
}

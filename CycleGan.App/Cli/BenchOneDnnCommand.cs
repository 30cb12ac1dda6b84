using System.CommandLine;
using System.Diagnostics;
using CycleGan.App.Devices;
using CycleGan.App.Layers;
using CycleGan.App.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.App.Cli;

/// <summary>
/// `cyclegan bench-onednn` (hidden): what each CPU convolution path costs. Times the ResNet-9 generator's
/// forward+backward with oneDNN on NCHW tensors (the raw path, whose gradients may be wrong where the self-check
/// fails: only its time is of interest here), oneDNN on channels-last tensors, and oneDNN off, alternating in one
/// process so that the ratios hold on a noisy machine.
/// </summary>
public static class BenchOneDnnCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "Image side", DefaultValueFactory = _ => 128 };
        var ngf = new Option<int>("--ngf") { Description = "Generator width", DefaultValueFactory = _ => 64 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds of each mode", DefaultValueFactory = _ => 3 };
        var command = new Command("bench-onednn", "Time the generator's forward+backward on each CPU convolution path") { size, ngf, rounds };
        command.Hidden = true;
        command.SetAction(parse => Run(parse.GetValue(size), parse.GetValue(ngf), parse.GetValue(rounds)));
        return command;
    }

    private static int Run(int side, int ngf, int rounds)
    {
        var check = TorchRuntime.EnsureInitialized(keepOneDnn: true);
        Console.WriteLine($"libtorch: {check.Message}");
        bool? initial = OneDnnSwitch.Enabled;
        if (initial is null)
        {
            Console.Error.WriteLine("error: the oneDNN switch is not available on this platform");
            return 1;
        }

        torch.manual_seed(1);
        using var g = new ResnetGenerator(3, 3, ngf, NormKind.Instance, useDropout: false, nBlocks: 9);
        using var x = torch.randn(1, 3, side, side);
        (string Name, bool OneDnn, bool ChannelsLast)[] modes = [("oneDNN NCHW (raw)", true, false), ("oneDNN channels-last", true, true), ("oneDNN off", false, false)];
        var totals = new double[modes.Length];
        try
        {
            for (int round = 0; round <= rounds; round++)
            {
                for (int m = 0; m < modes.Length; m++)
                {
                    using var scope = torch.NewDisposeScope();
                    var clock = Stopwatch.StartNew();
                    OneDnnSwitch.TrySet(modes[m].OneDnn);
                    ConvolutionLayout.CpuChannelsLast = modes[m].ChannelsLast;
                    g.call(x).square().mean().backward();
                    if (round > 0)
                    {
                        totals[m] += clock.Elapsed.TotalSeconds; // round 0 warms up
                    }
                }
            }
        }
        finally
        {
            OneDnnSwitch.TrySet(initial.Value);
            ConvolutionLayout.CpuChannelsLast = false;
        }

        Console.WriteLine($"ResNet-9 generator, ngf {ngf}, {side}x{side}, batch 1, forward+backward, mean of {rounds} rounds:");
        for (int m = 0; m < modes.Length; m++)
        {
            double s = totals[m] / rounds;
            Console.WriteLine($"  {modes[m].Name,-20} {s,8:F3} s   ({s / (totals[0] / rounds):F2}x the raw path's time)");
        }

        return 0;
    }
}

using System.Diagnostics;
using CycleGan.App.Config;
using CycleGan.App.Devices;
using Serilog;

namespace CycleGan.App.Verification;

/// <summary>
/// The short network check that `train` runs before its first iteration on the CPU: the configured generator and
/// discriminator, float32 on the chosen convolution path against float64, with fixed tolerances (it must not flip
/// process-wide switches, so there is no reference run). The self-check at start-up tried small convolutions; this
/// tries the run's own layer shapes, which is where oneDNN picks its kernels. On a failure the process falls back
/// to oneDNN off, saying why, and training goes on correctly, only slower.
/// </summary>
public static class StartupNetworkCheck
{
    public static void Run(CycleGanConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = TorchRuntime.EnsureInitialized().Path;
        if (device.type != DeviceType.CPU || path is CpuConvolutionPath.OneDnnOff or CpuConvolutionPath.NchwUnchecked)
        {
            return; // nothing to choose between: CUDA, the reference path itself, or kernels kept against advice
        }

        var clock = Stopwatch.StartNew();
        var verdicts = NetworkChecks.Run(NetworkChecks.ForConfig(config), config.Seed, withReference: false).ToList();
        var failed = verdicts.Where(v => !v.Passed).ToList();
        if (failed.Count == 0)
        {
            Log.Information("CPU convolutions: {Message}", TorchRuntime.EnsureInitialized().Message);
            Log.Information("Network check on the {Path} convolution path passed in {Seconds:F1} s: {Networks}", path, clock.Elapsed.TotalSeconds,
                string.Join("; ", verdicts.Select(v => $"{v.Shown.Network} at {v.Shown.Shape}, worst {v.Shown.Worst.Name} {v.Shown.Worst.Error:0.0E+0}")));
            return;
        }

        string why = $"the {path} convolution path failed the network check: " + string.Join("; ", failed.Select(v =>
            $"{v.Shown.Network} at {v.Shown.Shape}: {v.Shown.Worst.Name} error {v.Shown.Worst.Error:G2} (tolerance {v.Shown.Worst.Tolerance:G2})"));
        TorchRuntime.FallBackToReferencePath(why);
        Log.Warning("{Message}", TorchRuntime.EnsureInitialized().Message);
    }
}

using System.Collections.Concurrent;
using CycleGan.App.Layers;
using Serilog;

namespace CycleGan.App.Devices;

/// <summary>How float32 convolutions run on the CPU, as chosen by the start-up self-check.</summary>
public enum CpuConvolutionPath
{
    /// <summary>libtorch's default (oneDNN where built in) on NCHW tensors: it checked right here.</summary>
    Nchw,

    /// <summary>
    /// The NCHW kernels were wrong here: each convolution configuration is checked on first use and runs on the first
    /// of channels-last, NCHW and unfold kernels that is right (<see cref="ConvolutionLayout"/>).
    /// </summary>
    Checked,

    /// <summary>oneDNN switched off (libtorch's im2col + GEMM): no oneDNN layout checked right here. Slow.</summary>
    OneDnnOff,

    /// <summary>The NCHW kernels, kept on request although they were found wrong.</summary>
    NchwUnchecked,
}

/// <summary>
/// Once per process, before any training or checking: finds out whether libtorch's float32 CPU convolutions can be
/// trusted as they are. On some CPUs the oneDNN kernels that libtorch 2.10 uses for float32 backward-data on NCHW
/// tensors (the input gradient of Conv2d, and ConvTranspose2d's forward) return wrong values, silently. The check
/// compares float32 against float64 on small NCHW convolutions; where they disagree, every convolution configuration
/// is checked on first use from then on (<see cref="CpuConvolutionPath.Checked"/>).
/// </summary>
public static class TorchRuntime
{
    /// <summary>Relative error allowed to float32 against float64 on the self-check's small convolutions.</summary>
    public const double Tolerance = 1e-4;

    private static readonly Lock Gate = new();
    private static CpuConvolutionCheck? result;

    public sealed record CpuConvolutionCheck(CpuConvolutionPath Path, double NchwError, double ErrorAfter, string Message)
    {
        /// <summary>Whether the outcome deserves a warning: a slow fallback, or kernels known to be wrong.</summary>
        public bool Degraded => Path is CpuConvolutionPath.OneDnnOff or CpuConvolutionPath.NchwUnchecked;
    }

    /// <summary>
    /// The device a command asked for (--device, a config's device), after the self-check below, whose outcome is
    /// logged (a warning where it is degraded): every command that computes with TorchSharp starts here.
    /// </summary>
    public static torch.Device Start(string? device, bool keepOneDnn = false)
    {
        torch.Device resolved = DeviceSelector.Resolve(device);
        CpuConvolutionCheck check = EnsureInitialized(keepOneDnn);
        if (check.Degraded)
        {
            Log.Warning("{Message}", check.Message);
        }
        else
        {
            Log.Debug("{Message}", check.Message);
        }

        return resolved;
    }

    /// <summary>The outcome of the self-check (running it on first use).</summary>
    public static CpuConvolutionCheck EnsureInitialized(bool keepOneDnn = false)
    {
        lock (Gate)
        {
            return result ??= Check(keepOneDnn);
        }
    }

    /// <summary>
    /// The fault is intermittent with several threads and nearly certain with one (seen here with libtorch 2.10's
    /// oneDNN 3.7.1 on AMD EPYC): the check runs single-threaded a few times, then with the usual threads.
    /// </summary>
    public static double RepeatedError(ConvolutionKernels? kernels)
    {
        int threads = torch.get_num_threads();
        double worst = 0;
        try
        {
            torch.set_num_threads(1);
            for (int i = 0; i < 3; i++)
            {
                worst = Math.Max(worst, ConvolutionSelfCheck.Error(kernels));
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }

        for (int i = 0; i < 5; i++)
        {
            worst = Math.Max(worst, ConvolutionSelfCheck.Error(kernels));
        }

        return worst;
    }

    /// <summary>
    /// Runs CPU convolutions on <paramref name="path"/> until disposed, then puts back the path before: oneDNN's switch
    /// and the installed <see cref="CpuConvolutions"/> change together, in an order that never pairs NCHW tensors with
    /// oneDNN on a machine where that is wrong. Each path keeps its decisions from one use to the next.
    /// <see cref="CpuConvolutionPath.OneDnnOff"/> is the yardstick for how much float32 error a network has without any
    /// oneDNN kernel; the benchmarks time the others against it.
    /// </summary>
    public static IDisposable Use(CpuConvolutionPath path)
    {
        bool oneDnn = OneDnnSwitch.Enabled ?? throw new PlatformNotSupportedException("libtorch's oneDNN switch is not available on this platform");
        CpuConvolutions before = CpuConvolutions.Current;
        OneDnnSwitch.TrySet(false);
        CpuConvolutions.Install(ConvolutionsFor(path));
        OneDnnSwitch.TrySet(path != CpuConvolutionPath.OneDnnOff);
        return new Restore(() =>
        {
            OneDnnSwitch.TrySet(false);
            CpuConvolutions.Install(before);
            OneDnnSwitch.TrySet(oneDnn);
        });
    }

    /// <summary>Falls back to oneDNN off for the rest of the process, after a network-level check failed on the chosen path.</summary>
    public static void FallBackToReferencePath(string why)
    {
        lock (Gate)
        {
            OneDnnSwitch.TrySet(false);
            CpuConvolutions.Install(ConvolutionsFor(CpuConvolutionPath.OneDnnOff));
            if (result is not null)
            {
                result = result with { Path = CpuConvolutionPath.OneDnnOff, Message = $"WARNING: {why}; oneDNN switched off, at several times the cost" };
            }
        }
    }

    /// <summary>The one <see cref="CpuConvolutions"/> of each path in this process, made on first use.</summary>
    private static CpuConvolutions ConvolutionsFor(CpuConvolutionPath path) => Paths.GetOrAdd(path, p => new CpuConvolutions(
        p == CpuConvolutionPath.Checked ? CpuConvolutionMode.PerConfiguration : CpuConvolutionMode.Native,
        choice => Log.Debug("Convolution kernels for {Choice}", choice)));

    private static readonly ConcurrentDictionary<CpuConvolutionPath, CpuConvolutions> Paths = new();

    private static CpuConvolutionCheck Check(bool keepOneDnn)
    {
        OneDnnSwitch.TryDisableNnpack();
        CpuConvolutions.Install(ConvolutionsFor(CpuConvolutionPath.Nchw));
        double nchw = RepeatedError(ConvolutionKernels.Nchw);
        if (nchw <= Tolerance)
        {
            return new(CpuConvolutionPath.Nchw, nchw, nchw, $"float32 CPU convolutions check right on NCHW tensors (error {nchw:G2})");
        }

        string fault = $"libtorch's oneDNN float32 convolution kernels for NCHW tensors are wrong on this CPU (relative error {nchw:G2})";
        if (keepOneDnn)
        {
            return new(CpuConvolutionPath.NchwUnchecked, nchw, nchw,
                $"WARNING: {fault}; they are kept on request, so float32 training results are not trustworthy here");
        }

        CpuConvolutions.Install(ConvolutionsFor(CpuConvolutionPath.Checked));
        double after = RepeatedError(null);
        return new(CpuConvolutionPath.Checked, nchw, after,
            $"{fault}; each float32 convolution configuration is checked against float64 on first use and runs on the first of " +
            $"channels-last, NCHW and unfold kernels that is right (the self-check's shapes: error {after:G2})");
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

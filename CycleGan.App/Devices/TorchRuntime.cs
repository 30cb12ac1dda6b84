using CycleGan.App.Layers;
using TorchSharp;

namespace CycleGan.App.Devices;

/// <summary>How float32 convolutions run on the CPU, as chosen by the start-up self-check.</summary>
public enum CpuConvolutionPath
{
    /// <summary>libtorch's default (oneDNN where built in) on NCHW tensors: it checked right here.</summary>
    Nchw,

    /// <summary>oneDNN on channels-last copies: the NCHW kernels were wrong here, the channels-last ones right.</summary>
    ChannelsLast,

    /// <summary>oneDNN switched off (libtorch's im2col + GEMM): no oneDNN layout checked right here. Slow.</summary>
    OneDnnOff,

    /// <summary>The NCHW kernels, kept on request although they were found wrong.</summary>
    NchwUnchecked,
}

/// <summary>
/// Once per process, before any training or checking: finds a float32 CPU convolution path whose results are right
/// on this machine. On some CPUs the oneDNN kernels that libtorch 2.10 uses for float32 backward-data on NCHW tensors
/// (the input gradient of Conv2d, and ConvTranspose2d's forward) return wrong values, silently. The check compares
/// float32 against float64 on NCHW tensors first; where they disagree it tries channels-last tensors, which oneDNN
/// serves with other kernels, and only where those disagree too switches oneDNN off.
/// </summary>
public static class TorchRuntime
{
    /// <summary>Relative error allowed to float32 against float64 on the self-check's small convolutions.</summary>
    public const double Tolerance = 1e-4;

    private static readonly Lock Gate = new();
    private static CpuConvolutionCheck? result;

    public sealed record CpuConvolutionCheck(CpuConvolutionPath Path, double NchwError, double? ChannelsLastError, double ErrorAfter, string Message)
    {
        /// <summary>Whether the outcome deserves a warning: a slow fallback, or kernels known to be wrong.</summary>
        public bool Degraded => Path is CpuConvolutionPath.OneDnnOff or CpuConvolutionPath.NchwUnchecked;
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
    public static double RepeatedError(bool channelsLast)
    {
        int threads = torch.get_num_threads();
        double worst = 0;
        try
        {
            torch.set_num_threads(1);
            for (int i = 0; i < 3; i++)
            {
                worst = Math.Max(worst, ConvolutionSelfCheck.Error(channelsLast));
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }

        for (int i = 0; i < 5; i++)
        {
            worst = Math.Max(worst, ConvolutionSelfCheck.Error(channelsLast));
        }

        return worst;
    }

    /// <summary>
    /// Runs float32 CPU convolutions on the slow reference path (oneDNN off, NCHW) until disposed, then restores the
    /// chosen path: the yardstick for how much float32 error a network has without any oneDNN kernel. The switches
    /// are process-wide and flipped in an order that never pairs NCHW tensors with oneDNN on a machine where that is wrong.
    /// </summary>
    public static IDisposable UseReferencePath()
    {
        bool? oneDnn = OneDnnSwitch.Enabled;
        bool channelsLast = ConvolutionLayout.CpuChannelsLast;
        if (oneDnn is null)
        {
            throw new PlatformNotSupportedException("libtorch's oneDNN switch is not available on this platform");
        }

        OneDnnSwitch.TrySet(false);
        ConvolutionLayout.CpuChannelsLast = false;
        return new Restore(() =>
        {
            ConvolutionLayout.CpuChannelsLast = channelsLast;
            OneDnnSwitch.TrySet(oneDnn.Value);
        });
    }

    /// <summary>Falls back to oneDNN off for the rest of the process, after a network-level check failed on the chosen path.</summary>
    public static void FallBackToReferencePath(string why)
    {
        lock (Gate)
        {
            OneDnnSwitch.TrySet(false);
            ConvolutionLayout.CpuChannelsLast = false;
            if (result is not null)
            {
                result = result with { Path = CpuConvolutionPath.OneDnnOff, Message = $"WARNING: {why}; oneDNN switched off, at several times the cost" };
            }
        }
    }

    private static CpuConvolutionCheck Check(bool keepOneDnn)
    {
        OneDnnSwitch.TryDisableNnpack();
        double nchw = RepeatedError(channelsLast: false);
        if (nchw <= Tolerance)
        {
            return new(CpuConvolutionPath.Nchw, nchw, null, nchw, $"float32 CPU convolutions check right on NCHW tensors (error {nchw:G2})");
        }

        string fault = $"libtorch's oneDNN float32 convolution kernels for NCHW tensors are wrong on this CPU (relative error {nchw:G2})";
        if (keepOneDnn)
        {
            return new(CpuConvolutionPath.NchwUnchecked, nchw, null, nchw,
                $"WARNING: {fault}; they are kept on request, so float32 training results are not trustworthy here");
        }

        double channelsLast = RepeatedError(channelsLast: true);
        if (channelsLast <= Tolerance)
        {
            ConvolutionLayout.CpuChannelsLast = true;
            return new(CpuConvolutionPath.ChannelsLast, nchw, channelsLast, channelsLast,
                $"{fault}; float32 convolutions run on channels-last tensors, whose oneDNN kernels check right (error {channelsLast:G2})");
        }

        if (!OneDnnSwitch.TrySet(false))
        {
            return new(CpuConvolutionPath.NchwUnchecked, nchw, channelsLast, nchw,
                $"WARNING: {fault}, channels-last too ({channelsLast:G2}), and oneDNN cannot be switched off on this platform: float32 training results are not trustworthy here");
        }

        double after = RepeatedError(channelsLast: false);
        return new(CpuConvolutionPath.OneDnnOff, nchw, channelsLast, after,
            $"WARNING: {fault}, channels-last too ({channelsLast:G2}); oneDNN switched off, error now {after:G2}, at several times the cost");
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

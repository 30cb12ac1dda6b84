using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.App.Devices;

/// <summary>
/// Once per process, before any training or checking: verifies that libtorch's float32 CPU convolution gradients are
/// right on this machine. On some CPUs the oneDNN kernels that libtorch 2.10 uses for float32 backward-data (the input
/// gradient of Conv2d, and ConvTranspose2d's forward) return wrong values, silently; when the self-check sees that,
/// oneDNN is switched off (libtorch then uses its own im2col + GEMM kernels) and a warning says so.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static CpuConvolutionCheck? result;

    public sealed record CpuConvolutionCheck(bool OneDnnFaulty, bool OneDnnDisabled, double ErrorWithOneDnn, double ErrorAfter, string Message);

    /// <summary>The outcome of the self-check (running it on first use).</summary>
    public static CpuConvolutionCheck EnsureInitialized(bool keepOneDnn = false)
    {
        lock (Gate)
        {
            return result ??= Check(keepOneDnn);
        }
    }

    /// <summary>
    /// The largest relative error of float32 transposed convolutions (the input-gradient computation) against float64,
    /// over shapes that cover oneDNN's blocked and plain paths.
    /// </summary>
    public static double Float32TransposedConvolutionError()
    {
        using var scope = torch.NewDisposeScope();
        var generator = new Generator(20261125);
        double worst = 0;
        (long N, long C, long O, long H, long W, long K, long S, long P)[] shapes =
            [(2, 4, 3, 7, 6, 3, 1, 1), (1, 16, 8, 9, 9, 3, 1, 1), (2, 3, 5, 6, 5, 3, 1, 0), (1, 8, 8, 5, 5, 3, 2, 1)];
        foreach (var s in shapes)
        {
            var g = torch.rand([s.N, s.C, s.H, s.W], dtype: ScalarType.Float64, generator: generator) - 0.5;
            var w = torch.rand([s.C, s.O, s.K, s.K], dtype: ScalarType.Float64, generator: generator) - 0.5;
            var exact = nn.functional.conv_transpose2d(g, w, null, [s.S, s.S], [s.P, s.P]);
            var single = nn.functional.conv_transpose2d(g.to(ScalarType.Float32), w.to(ScalarType.Float32), null, [s.S, s.S], [s.P, s.P])
                .to(ScalarType.Float64);
            double error = (single - exact).abs().max().item<double>() / Math.Max(exact.abs().max().item<double>(), 1e-30);
            worst = Math.Max(worst, double.IsNaN(error) ? double.PositiveInfinity : error); // garbage can be NaN
        }

        return worst;
    }

    /// <summary>
    /// The fault is intermittent with several threads and nearly certain with one (seen here with libtorch 2.10's
    /// oneDNN 3.7.1 on AMD EPYC): the check runs single-threaded a few times, then with the usual threads.
    /// </summary>
    private static double RepeatedError()
    {
        int threads = torch.get_num_threads();
        double worst = 0;
        try
        {
            torch.set_num_threads(1);
            for (int i = 0; i < 3; i++)
            {
                worst = Math.Max(worst, Float32TransposedConvolutionError());
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }

        for (int i = 0; i < 5; i++)
        {
            worst = Math.Max(worst, Float32TransposedConvolutionError());
        }

        return worst;
    }

    private static CpuConvolutionCheck Check(bool keepOneDnn)
    {
        const double tolerance = 1e-4;
        OneDnnSwitch.TryDisableNnpack();
        double before = RepeatedError();
        if (before <= tolerance)
        {
            return new(false, false, before, before, $"float32 CPU convolution self-check passed (error {before:G2})");
        }

        if (keepOneDnn || !OneDnnSwitch.TrySet(false))
        {
            string why = keepOneDnn ? "kept on request" : "cannot be switched off on this platform";
            return new(true, false, before, before,
                $"WARNING: libtorch's oneDNN float32 convolution gradients are wrong on this CPU (relative error {before:G2}); oneDNN {why}, so float32 training results are not trustworthy here");
        }

        double after = RepeatedError();
        return new(true, true, before, after,
            $"libtorch's oneDNN float32 convolution gradients are wrong on this CPU (relative error {before:G2}); oneDNN switched off, error now {after:G2}");
    }
}

using System.Collections.Concurrent;

namespace CycleGan.App.Layers;

/// <summary>Whether float32 CPU convolutions are checked per configuration or handed to libtorch as they are.</summary>
public enum CpuConvolutionMode
{
    Native,
    PerConfiguration,
}

/// <summary>
/// How this process hands CPU convolutions to libtorch: the mode the start-up self-check chose and every decision made
/// under it (which kernels each float32 and bfloat16 configuration runs on). One object holds both, so no decision
/// outlives the mode it was made under: another mode is another object. The runtime (Devices/TorchRuntime) makes it at
/// start-up and installs it; Conv2d and ConvTranspose2d read the installed one (<see cref="ConvolutionLayout"/>).
/// </summary>
public sealed class CpuConvolutions(CpuConvolutionMode mode, Action<string>? report = null)
{
    private static volatile CpuConvolutions current = new(CpuConvolutionMode.Native);

    /// <summary>The convolutions in effect: libtorch's own kernels until the runtime installs its choice.</summary>
    public static CpuConvolutions Current => current;

    public CpuConvolutionMode Mode { get; } = mode;

    /// <summary>Called once for each configuration checked, with what was chosen and why (the log).</summary>
    internal Action<string>? Report { get; } = report;

    /// <summary>Per float32 configuration: the kernels found right.</summary>
    internal ConcurrentDictionary<string, ConvolutionKernels> Decisions { get; } = new();

    /// <summary>Per bfloat16 configuration: the kernels found within the bound, or null where it runs in float32.</summary>
    internal ConcurrentDictionary<string, ConvolutionKernels?> Bf16Decisions { get; } = new();

    /// <summary>Installs <paramref name="convolutions"/>: only the runtime does (TorchRuntime), at start-up and for a scoped path.</summary>
    internal static void Install(CpuConvolutions convolutions) => current = convolutions;
}

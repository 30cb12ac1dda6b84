using CycleGan.App.Layers;

namespace CycleGan.App.Devices;

/// <summary>
/// Whether bfloat16 convolutions are worth running on a device. A CPU without bfloat16 instructions would have oneDNN
/// emulate them, slower than float32, so bf16 is refused there rather than run slowly. On Linux the CPU's flags in
/// /proc/cpuinfo say it: avx512_bf16 (AVX-512 dot products of bfloat16 pairs, accumulated in float32) or amx_bf16
/// (AMX tiles). Elsewhere the flags are not read and bf16 is refused. CUDA is taken at its word: libtorch runs its own
/// bfloat16 kernels there (unverified on this project's machines, which have no GPU).
/// </summary>
public static class Bf16Support
{
    public const string CpuInfo = "/proc/cpuinfo";

    /// <summary>The CPU flags that mean native bfloat16 arithmetic.</summary>
    public static readonly string[] NativeFlags = ["avx512_bf16", "amx_bf16"];

    /// <summary>Why <paramref name="device"/> does not compute bfloat16 natively, or null where it does.</summary>
    /// <param name="device">The device the convolutions run on.</param>
    /// <param name="cpuInfo">The text of /proc/cpuinfo, or null where there is none (not Linux, unreadable): injectable for tests.</param>
    public static string? Refusal(Device device, Func<string?> cpuInfo)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(cpuInfo);
        if (device.type == DeviceType.CUDA)
        {
            return null;
        }

        if (cpuInfo() is not { } info)
        {
            return $"bfloat16 needs a CPU that computes it natively, found from the {string.Join(" or ", NativeFlags)} flags in {CpuInfo}, " +
                   "which this system does not have (Linux only); elsewhere it would be emulated, slower than fp32";
        }

        bool native = info.Split('\n')
            .Where(line => line.StartsWith("flags", StringComparison.Ordinal))
            .Any(line => line.Split([' ', '\t', ':'], StringSplitOptions.RemoveEmptyEntries).Intersect(NativeFlags, StringComparer.Ordinal).Any());
        return native
            ? null
            : $"this CPU does not compute bfloat16 natively ({CpuInfo} lists neither {string.Join(" nor ", NativeFlags)}): " +
              "oneDNN would emulate it, slower than fp32";
    }

    /// <summary>The refusal for this machine's CPU, read from /proc/cpuinfo.</summary>
    public static string? Refusal(Device device) => Refusal(device, ReadCpuInfo);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming <paramref name="setting"/> where <paramref name="precision"/> is
    /// bf16 and the device does not compute it natively.
    /// </summary>
    public static void Require(ConvolutionPrecision precision, Device device, string setting, Func<string?>? cpuInfo = null)
    {
        if (precision == ConvolutionPrecision.Bf16 && Refusal(device, cpuInfo ?? ReadCpuInfo) is { } why)
        {
            throw new ArgumentException($"{setting} bf16 is refused: {why}. Use fp32.");
        }
    }

    private static string? ReadCpuInfo()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return File.ReadAllText(CpuInfo);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

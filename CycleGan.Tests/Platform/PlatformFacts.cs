using CycleGan.App.Devices;

namespace CycleGan.Tests.Platform;

/// <summary>Why a platform-bound test does not apply here, or null where it does. xunit reads Skip from the attribute
/// instance, so a test that cannot run shows up as skipped with the reason instead of passing without checking anything.</summary>
internal static class PlatformSkip
{
    public static string? UnlessUnix() =>
        OperatingSystem.IsWindows() ? "needs POSIX processes and signals (kill, SIGTERM, ulimit), which Windows does not have" : null;

    public static string? UnlessLinux() =>
        OperatingSystem.IsLinux() ? null : "reads the process's resident and peak memory from /proc, which only Linux has";

    public static string? UnlessNoCuda() =>
        DeviceSelector.CudaAvailable() ? "asserts the behaviour of a machine without CUDA; this one has CUDA" : null;
}

/// <summary>A fact that needs POSIX signals and processes: skipped, visibly, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute() => Skip = PlatformSkip.UnlessUnix();
}

/// <summary>A theory that needs POSIX signals and processes: skipped, visibly, on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute() => Skip = PlatformSkip.UnlessUnix();
}

/// <summary>A fact that reads /proc (the process's memory): skipped, visibly, outside Linux.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute() => Skip = PlatformSkip.UnlessLinux();
}

/// <summary>A fact about a machine without CUDA: skipped, visibly, where CUDA is available.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute() => Skip = PlatformSkip.UnlessNoCuda();
}

/// <summary>A theory about a machine without CUDA: skipped, visibly, where CUDA is available.</summary>
public sealed class NoCudaTheoryAttribute : TheoryAttribute
{
    public NoCudaTheoryAttribute() => Skip = PlatformSkip.UnlessNoCuda();
}

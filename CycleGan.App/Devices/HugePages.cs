using System.Runtime.InteropServices;

namespace CycleGan.App.Devices;

/// <summary>
/// libtorch backs CPU tensors of 2 MB and more with transparent huge pages when THP_MEM_ALLOC_ENABLE=1 is in its
/// environment at its first allocation (it reads the variable once). On the machines this project is built on,
/// faulting in fresh 4 KB pages is what element-wise work on image-sized tensors mostly costs: subtracting a
/// per-channel mean from a [1, 256, 256, 256] tensor took 135 ms with 4 KB pages and 30 ms with huge pages, most of a
/// ResNet generator's instance norms. .NET's Environment.SetEnvironmentVariable does not reach native code on Linux, so
/// the variable is set with libc's setenv, before the first tensor. A value the user set is kept.
/// </summary>
internal static partial class HugePages
{
    public const string Variable = "THP_MEM_ALLOC_ENABLE";

    /// <summary>Asks libtorch for huge pages unless the environment already says; false where that cannot be done.</summary>
    public static bool Request()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return setenv(Variable, "1", 0) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}

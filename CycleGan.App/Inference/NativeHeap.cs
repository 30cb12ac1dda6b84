using System.Runtime.InteropServices;

namespace CycleGan.App.Inference;

/// <summary>The C heap under libtorch's CPU tensors.</summary>
internal static partial class NativeHeap
{
    /// <summary>
    /// Hands the heap's free pages back to the kernel (glibc's malloc_trim). glibc keeps freed blocks of up to tens of
    /// megabytes resident for reuse, so without this the resident memory of a pass that follows another shows what the
    /// first left behind, not what the second takes. False where there is no glibc.
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}

using System.Runtime.InteropServices;

namespace CycleGan.App.Devices;

/// <summary>
/// PyTorch's torch.backends.mkldnn.enabled, which TorchSharp does not bind: the flag lives in libtorch's global
/// context (at::globalContext().setUserEnabledMkldnn), reached here through libtorch_cpu's exported C++ symbols
/// (Itanium ABI, so Linux and macOS). Where the symbols cannot be found the switch reports itself unavailable.
/// </summary>
internal static partial class OneDnnSwitch
{
    private const string Library = "libtorch_cpu";

    public static bool? Enabled
    {
        get
        {
            try
            {
                return UserEnabledMkldnn(GlobalContext());
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    /// <summary>Sets the flag; false where the switch is unavailable.</summary>
    public static bool TrySet(bool enabled)
    {
        try
        {
            SetUserEnabledMkldnn(GlobalContext(), enabled);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Switches off libtorch's NNPACK convolution path, which these CPUs do not support: libtorch tries it anyway
    /// and prints "Could not initialize NNPACK! Reason: Unsupported hardware" from every worker thread. False where
    /// the switch is unavailable.
    /// </summary>
    public static bool TryDisableNnpack()
    {
        try
        {
            SetUserEnabledNnpack(GlobalContext(), false);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(IntPtr context);
}

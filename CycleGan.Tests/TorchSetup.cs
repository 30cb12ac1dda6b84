using System.Runtime.CompilerServices;
using CycleGan.App.Devices;

namespace CycleGan.Tests;

internal static class TorchSetup
{
    /// <summary>The tests compute with libtorch as the application does: after its start-up self-check.</summary>
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.EnsureInitialized();
}

using System.Runtime.InteropServices;

namespace CycleGan.Tests.Training;

/// <summary>Sends a POSIX signal straight through libc, without starting a `kill` process, so that a signal can follow
/// an observed moment within milliseconds.</summary>
internal static partial class PosixSignals
{
    public const int Interrupt = 2, Terminate = 15; // SIGINT, SIGTERM: the same numbers on Linux and macOS

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

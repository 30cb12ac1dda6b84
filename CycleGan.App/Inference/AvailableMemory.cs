using System.Globalization;

namespace CycleGan.App.Inference;

/// <summary>
/// How much more memory this process may take now: the kernel's MemAvailable (what can be allocated without
/// swapping), lowered to the room left under a cgroup memory limit when one applies; outside Linux, what the GC
/// reports as available. Read afresh on each call: other programs come and go.
/// </summary>
public static class AvailableMemory
{
    public static long Bytes()
    {
        long? available = MemInfoAvailable();
        if (CgroupRoom() is { } room)
        {
            available = available is { } a ? Math.Min(a, room) : room;
        }

        if (available is { } bytes)
        {
            return bytes;
        }

        var gc = GC.GetGCMemoryInfo();
        return Math.Max(0, gc.TotalAvailableMemoryBytes - Environment.WorkingSet);
    }

    /// <summary>The process's resident set now and its peak since the last <see cref="ResetPeak"/> (Linux; null elsewhere).</summary>
    public static (long Resident, long Peak)? ResidentAndPeak()
    {
        try
        {
            long? rss = null, hwm = null;
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line);
                }
            }

            return rss is { } r && hwm is { } h ? (r, h) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Resets the kernel's peak-resident counter of this process (Linux 4.0+); false where that is not possible.</summary>
    public static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A byte count for messages: "3.1 GB", "420 MB".</summary>
    public static string Format(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{(Math.Max(0, bytes) + (1L << 19)) >> 20} MB");

    private static long? MemInfoAvailable()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    return Kilobytes(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static long? CgroupRoom()
    {
        try
        {
            string max = File.ReadAllText("/sys/fs/cgroup/memory.max").Trim();
            if (max == "max" || !long.TryParse(max, CultureInfo.InvariantCulture, out long limit))
            {
                return null;
            }

            long current = long.Parse(File.ReadAllText("/sys/fs/cgroup/memory.current").Trim(), CultureInfo.InvariantCulture);
            return Math.Max(0, limit - current);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
}

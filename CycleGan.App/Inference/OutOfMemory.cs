using System.Runtime.InteropServices;

namespace CycleGan.App.Inference;

/// <summary>Recognises an allocation failure, from libtorch (an ExternalException whose text says it cannot
/// allocate) or from .NET, and words it for the user without libtorch's native stack.</summary>
public static class OutOfMemory
{
    public static bool Is(Exception ex) => ex switch
    {
        OutOfMemoryException => true,
        ExternalException e => e.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase)
                               || e.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>The failure's first line ("DefaultCPUAllocator: can't allocate memory: you tried to allocate N bytes"),
    /// with the byte count in GB or MB.</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        string first = ex.Message.Split('\n', 2)[0].Trim();
        var match = System.Text.RegularExpressions.Regex.Match(first, @"allocate (\d+) bytes");
        return match.Success && long.TryParse(match.Groups[1].Value, out long bytes)
            ? $"{first} ({AvailableMemory.Format(bytes)}; {AvailableMemory.Format(AvailableMemory.Bytes())} available)"
            : first;
    }
}

namespace CycleGan.App.Runs;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a mixture: the bytes go to
/// a temporary file in the same folder, are flushed to disk, and the temporary file is renamed over the target.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (ArgumentOutOfRangeException ex) when (ex.ParamName == "value")
        {
            // .NET reports EFBIG (a file-size limit) this way; to callers it is a failed write like ENOSPC
            TryDelete(temp);
            throw new IOException($"writing {full} failed: {ex.Message.Replace(" (Parameter 'value')", string.Empty, StringComparison.Ordinal)}", ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // the original error matters more than a leftover temporary file
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

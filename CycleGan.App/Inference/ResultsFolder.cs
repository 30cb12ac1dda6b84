using CycleGan.App.Runs;

namespace CycleGan.App.Inference;

/// <summary>
/// The test command's results folder (results/NAME/EPOCH) records the model it holds results of (source.txt: the run
/// folder's or checkpoint's full path): runs of the same name in different runs folders map to the same results
/// folder, and the results of one may not silently replace the other's.
/// </summary>
public static class ResultsFolder
{
    public const string SourceFile = "source.txt";

    /// <summary>Claims <paramref name="folder"/> for the results of <paramref name="source"/>: creates it and records the
    /// source, or checks that the results it holds are of the same source; refuses (before anything is written)
    /// when they are another's or of an unrecorded source.</summary>
    public static void Claim(string folder, string source)
    {
        string record = Path.Combine(folder, SourceFile);
        string full = Path.GetFullPath(source);
        if (File.Exists(record))
        {
            string holder = File.ReadAllText(record).Trim();
            if (!string.Equals(holder, full, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"{folder} holds the test results of {holder}, not of {full} (another run of the same name): pass another --results-dir, or remove that folder");
            }
        }
        else if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new ArgumentException(
                $"{folder} holds results whose source is not recorded (no {SourceFile}), perhaps of another run of the same name: pass another --results-dir, or remove that folder");
        }
        else
        {
            AtomicFile.WriteAllText(record, full + Environment.NewLine);
        }
    }
}

namespace CycleGan.App.Inference;

/// <summary>
/// Where translate may write: not into a folder it reads its inputs from (a folder given, or a glob's folder), because a
/// second run with the same inputs would then translate the first run's outputs. Folders are read without their
/// sub-folders, so an output folder below an input folder is allowed.
/// </summary>
public static class OutputFolder
{
    /// <summary>Why <paramref name="output"/> may not receive the outputs of <paramref name="inputs"/> (as given on
    /// the command line), or null.</summary>
    public static string? Conflict(IEnumerable<string> inputs, string output)
    {
        string target = Normalize(output);
        foreach (string input in inputs)
        {
            string? scanned = Directory.Exists(input) ? input
                : input.IndexOfAny(['*', '?']) >= 0 ? (Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".")
                : null;
            if (scanned is not null && string.Equals(Normalize(scanned), target, StringComparison.Ordinal))
            {
                return $"the output folder {Path.GetFullPath(output)} is the input folder of '{input}': a later run would translate " +
                       "these outputs as inputs; choose another --output (a sub-folder such as translated/ is fine)";
            }
        }

        return null;
    }

    private static string Normalize(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}

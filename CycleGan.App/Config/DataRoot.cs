namespace CycleGan.App.Config;

/// <summary>Where a config's data.dataroot points: a folder, or "synth", the built-in synthetic dataset, which lives in
/// datasets/synth_SIZE under the working folder (one per image size; training makes it on first use).</summary>
public static class DataRoot
{
    /// <summary>The dataroot value that names the built-in synthetic dataset.</summary>
    public const string Synthetic = "synth";

    public static string SyntheticFolder(int size) => Path.GetFullPath(Path.Combine("datasets", $"synth_{size}"));

    /// <summary>The full path of the dataset folder <paramref name="data"/> names (which may not exist yet).</summary>
    public static string Folder(DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return IsSynthetic(data) ? SyntheticFolder(data.LoadSize) : Path.GetFullPath(data.DataRoot);
    }

    public static bool IsSynthetic(DataConfig data) => string.Equals(data?.DataRoot, Synthetic, StringComparison.Ordinal);
}

namespace CycleGan.App.Training;

/// <summary>The CycleGAN reference's public datasets that scripts/download_dataset.sh fetches (its NAMES list), so that a
/// missing one is named with the command that gets it.</summary>
public static class PublicDatasets
{
    public static readonly IReadOnlyList<string> Names =
    [
        "apple2orange", "summer2winter_yosemite", "horse2zebra", "monet2photo", "cezanne2photo", "ukiyoe2photo", "vangogh2photo", "maps",
        "facades", "iphone2dslr_flower", "ae_photos", "mini", "mini_pix2pix", "mini_colorization",
    ];

    /// <summary>How to get the dataset a missing folder <paramref name="root"/> names, or null if it is none of them.</summary>
    public static string? HowToGet(string root)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        string name = Path.GetFileName(full);
        if (!Names.Contains(name, StringComparer.Ordinal))
        {
            return null;
        }

        string parent = Path.GetDirectoryName(full)!;
        string dest = string.Equals(parent, Path.GetFullPath("datasets"), StringComparison.Ordinal) ? string.Empty : " " + parent;
        return $"{name} is one of the CycleGAN reference's public datasets: download it with scripts/download_dataset.sh {name}{dest} " +
               "(needs internet; cyclegan dataset synth makes a dataset offline)";
    }
}

using CycleGan.Data.Imaging;
using SixLabors.ImageSharp;

namespace CycleGan.Data.Makers;

/// <summary>Checks and writes the output folder of a dataset maker.</summary>
internal static class DatasetOutput
{
    /// <summary>Refuses a folder that already holds a dataset, so a maker never mixes two datasets' files.</summary>
    public static void Prepare(string output)
    {
        foreach (string domain in new[] { "trainA", "trainB", "testA", "testB" })
        {
            string dir = Path.Combine(output, domain);
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
            {
                throw new IOException($"'{dir}' already holds files; choose an empty --output folder or remove it first");
            }
        }

        Directory.CreateDirectory(output);
    }

    public static void Write(Image image, string output, string folder, string name)
    {
        ImageWriter.Save(image, Path.Combine(output, folder, name));
    }
}

using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Data.Makers;

/// <summary>Writes two Fashion-MNIST classes as an unpaired dataset: train split to trainA/trainB, t10k split to
/// testA/testB, 28x28 grayscale PNGs named by their index in the IDX file.</summary>
public static class FashionMnistMaker
{
    /// <summary>Where the Debian package dataset-fashion-mnist installs the files.</summary>
    public const string DefaultSource = "/usr/share/datasets/fashion-mnist";

    public static readonly IReadOnlyList<string> Files =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    public static string Make(string source, string output, int classA, int classB)
    {
        if (classA == classB)
        {
            throw new ArgumentException($"--a and --b are the same class ({FashionMnistClasses.Names[classA]}); choose two different classes");
        }

        string[] missing = Files.Where(f => !File.Exists(Path.Combine(source, f))).ToArray();
        if (missing.Length > 0)
        {
            throw new FileNotFoundException(
                $"Fashion-MNIST files not found in '{source}' (missing: {string.Join(", ", missing)}). " +
                "Install them with `apt-get install dataset-fashion-mnist` (they go to " + DefaultSource + "), " +
                "or pass --source DIR holding the four gzip'd IDX files.");
        }

        DatasetOutput.Prepare(output);
        var counts = new List<string>();
        foreach (var (split, phase) in new[] { ("train", "train"), ("t10k", "test") })
        {
            var images = IdxReader.ReadImages(Path.Combine(source, $"{split}-images-idx3-ubyte.gz"));
            byte[] labels = IdxReader.ReadLabels(Path.Combine(source, $"{split}-labels-idx1-ubyte.gz"));
            if (labels.Length != images.Count)
            {
                throw new InvalidDataException($"{split}: {images.Count} images but {labels.Length} labels");
            }

            int a = 0, b = 0;
            for (int i = 0; i < images.Count; i++)
            {
                char? domain = labels[i] == classA ? 'A' : labels[i] == classB ? 'B' : null;
                if (domain is null)
                {
                    continue;
                }

                using var image = Image.LoadPixelData<L8>(images.Image(i), images.Columns, images.Rows);
                DatasetOutput.Write(image, output, phase + domain, $"{i:D5}.png");
                if (domain == 'A')
                {
                    a++;
                }
                else
                {
                    b++;
                }
            }

            counts.Add($"{phase}A {a}, {phase}B {b}");
        }

        return $"fashion-mnist: A = {FashionMnistClasses.Names[classA]}, B = {FashionMnistClasses.Names[classB]}: {string.Join(", ", counts)} images in {output}";
    }
}

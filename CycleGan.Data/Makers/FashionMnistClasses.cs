namespace CycleGan.Data.Makers;

/// <summary>The ten Fashion-MNIST labels, accepted by index or by name.</summary>
public static class FashionMnistClasses
{
    public static readonly IReadOnlyList<string> Names =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>An index 0-9, or a name compared on letters only, case-insensitively ("ankle-boot", "Ankle boot",
    /// "tshirt" and "t-shirt/top" all work).</summary>
    public static int Parse(string value)
    {
        string v = value.Trim();
        if (int.TryParse(v, out int index))
        {
            return index is >= 0 and <= 9 ? index : throw new ArgumentException($"Fashion-MNIST class index {index} is not 0-9. {Help}");
        }

        string key = Normalise(v);
        for (int i = 0; i < Names.Count; i++)
        {
            if (Normalise(Names[i]) == key || (i == 0 && key is "tshirt" or "top"))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{value}' is not a Fashion-MNIST class. {Help}");
    }

    /// <summary>The name as a folder-friendly slug, e.g. "ankle_boot".</summary>
    public static string Slug(int index) => Names[index].ToLowerInvariant().Replace("/", "_").Replace(" ", "_").Replace("-", "");

    public static string Help => "Classes: " + string.Join(", ", Names.Select((n, i) => $"{i} {n}"));

    private static string Normalise(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
}

using CycleGan.Data.Datasets;

namespace CycleGan.Tests.Data;

public class DatasetLayoutTests
{
    [Fact]
    public void Missing_root_is_an_error_naming_the_root_and_the_layout()
    {
        using var dir = new TempDirectory();
        string root = dir.Combine("nowhere");
        var ex = Assert.Throws<DatasetLayoutException>(() => new UnpairedDataset(DatasetBuilder.Options(root)));
        Assert.Contains(root, ex.Message);
        Assert.Contains("does not exist", ex.Message);
        Assert.Contains("ROOT/trainA and ROOT/trainB", ex.Message);
    }

    [Theory]
    [InlineData("trainA")]
    [InlineData("trainB")]
    public void Missing_domain_folder_is_an_error_naming_it(string missing)
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 2, 2);
        Directory.Delete(Path.Combine(root, missing), recursive: true);
        var ex = Assert.Throws<DatasetLayoutException>(() => new UnpairedDataset(DatasetBuilder.Options(root)));
        Assert.Contains(Path.Combine(root, missing), ex.Message);
        Assert.Contains("is missing", ex.Message);
        Assert.Contains("Expected layout", ex.Message);
    }

    [Fact]
    public void Domain_without_images_is_an_error_even_when_it_holds_other_files()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 2, 0);
        Directory.CreateDirectory(Path.Combine(root, "trainB"));
        File.WriteAllText(Path.Combine(root, "trainB", "notes.txt"), "not an image");
        var ex = Assert.Throws<DatasetLayoutException>(() => new UnpairedDataset(DatasetBuilder.Options(root)));
        Assert.Contains("holds no images", ex.Message);
        Assert.Contains("notes.txt", ex.Message);
        Assert.Contains("Expected layout", ex.Message);
    }

    [Fact]
    public void Test_phase_reads_testA_and_testB()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 2, 2);
        TestImages.WriteSolidPng(Path.Combine(root, "testA", "t.png"), 12, 12, 1, 2, 3);
        TestImages.WriteSolidPng(Path.Combine(root, "testB", "u.png"), 12, 12, 1, 2, 3);
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root) with { Phase = "test" });
        Assert.Equal([Path.Combine(root, "testA", "t.png")], dataset.FilesA);
        Assert.Equal([Path.Combine(root, "testB", "u.png")], dataset.FilesB);
    }

    [Fact]
    public void Images_are_found_recursively_by_extension_in_ordinal_order_and_cut_by_max_dataset_size()
    {
        using var dir = new TempDirectory();
        string root = DatasetBuilder.Make(dir, 0, 1);
        string a = Path.Combine(root, "trainA");
        string[] names = ["b.JPG", "a.png", Path.Combine("sub", "c.bmp"), Path.Combine("sub", "deeper", "d.gif"), "e.tiff", "f.webp", "g.jpeg", "h.tif"];
        foreach (string name in names)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(a, name))!);
            File.WriteAllBytes(Path.Combine(a, name), [1]); // listing does not decode
        }

        File.WriteAllText(Path.Combine(a, "readme.txt"), "x");
        var dataset = new UnpairedDataset(DatasetBuilder.Options(root));
        string[] expected = ["a.png", "b.JPG", "e.tiff", "f.webp", "g.jpeg", "h.tif", Path.Combine("sub", "c.bmp"), Path.Combine("sub", "deeper", "d.gif")];
        Assert.Equal(expected.Select(n => Path.Combine(a, n)), dataset.FilesA);
        Assert.Equal([Path.Combine(a, "readme.txt")], dataset.IgnoredFiles);
        Assert.Equal(8, dataset.Length);

        var cut = new UnpairedDataset(DatasetBuilder.Options(root) with { MaxDatasetSize = 3 });
        Assert.Equal(expected.Take(3).Select(n => Path.Combine(a, n)), cut.FilesA);
        Assert.Equal(3, cut.Length);
    }
}

using CycleGan.App.Cli;

namespace CycleGan.Tests.Data;

public class DatasetCommandTests
{
    [Fact]
    public void Synth_writes_the_layout()
    {
        using var dir = new TempDirectory();
        string output = dir.Combine("s");
        int code = CliApp.Run(["dataset", "synth", "--output", output, "--size", "16", "--count", "3", "--seed", "4"]);
        Assert.Equal(0, code);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(output, "trainB")).Length);
        Assert.Single(Directory.GetFiles(Path.Combine(output, "testA_truth")));
    }

    [Fact]
    public void Fashion_mnist_takes_classes_by_name_or_index()
    {
        using var dir = new TempDirectory();
        string source = FashionMnistTests.WriteTinyIdx(dir, [7, 9, 7], [9, 7]);
        Assert.Equal(0, CliApp.Run(["dataset", "fashion-mnist", "--output", dir.Combine("o1"), "--a", "sneaker", "--b", "9", "--source", source]));
        Assert.Equal(2, Directory.GetFiles(dir.Combine("o1", "trainA")).Length);
        Assert.Single(Directory.GetFiles(dir.Combine("o1", "trainB")));
    }

    [Theory]
    [InlineData("--a", "7", "--b", "7")] // same class
    [InlineData("--a", "hat", "--b", "7")] // unknown class
    public void Bad_classes_are_bad_input(string a, string av, string b, string bv)
    {
        using var dir = new TempDirectory();
        string source = FashionMnistTests.WriteTinyIdx(dir, [7, 9], [9, 7]);
        Assert.Equal(CliApp.BadInput, CliApp.Run(["dataset", "fashion-mnist", "--output", dir.Combine("o"), a, av, b, bv, "--source", source]));
    }

    [Fact]
    public void Missing_fashion_mnist_files_are_bad_input()
    {
        using var dir = new TempDirectory();
        Assert.Equal(CliApp.BadInput, CliApp.Run(["dataset", "fashion-mnist", "--output", dir.Combine("o"), "--a", "7", "--b", "9", "--source", dir.Combine("absent")]));
    }
}

namespace CycleGan.Tests.Cli;

public class DescribeCommandTests
{
    private static readonly string Cwd = AppContext.BaseDirectory;

    [Fact]
    public void Describe_horse2zebra_shows_the_reference_parameter_counts()
    {
        var r = CliRunner.Run(Cwd, "describe", "--config", "horse2zebra");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("G_A: ResnetGenerator, 11,378,179 parameters, [1, 3, 256, 256] -> [1, 3, 256, 256]", r.Stdout);
        Assert.Contains("D_A: NLayerDiscriminator, 2,764,737 parameters, [1, 3, 256, 256] -> [1, 1, 30, 30]", r.Stdout);
    }

    [Fact]
    public void Describe_names_a_size_the_generator_cannot_take()
    {
        var r = CliRunner.Run(Cwd, "describe", "--config", "horse2zebra", "--set", "model.ngf=2", "--set", "model.ndf=2", "--size", "30");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("multiples of 4", r.Stdout);
    }

    [Theory]
    [InlineData("--set model.netG=resnet_12blocks", "model.netG: 'resnet_12blocks' is not one of")]
    [InlineData("--set model.ngff=3", "did you mean 'model.ngf'")]
    public void Bad_config_values_exit_2(string args, string expected)
    {
        var r = CliRunner.Run(Cwd, ["describe", "--config", "horse2zebra", .. args.Split(' ')]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
    }

    [Fact]
    public void Missing_config_lists_the_known_ones()
    {
        var r = CliRunner.Run(Cwd, "describe", "--config", "horse3zebra");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("known configs: horse2zebra", r.Stderr);
    }
}

public class DescribeInputSizeTests
{
    [Fact]
    public void PreprocessNoneDescribesTheDatasetsOwnImageSize()
    {
        using var dir = new CycleGan.Tests.Data.TempDirectory();
        Directory.CreateDirectory(dir.Combine("trainA"));
        CycleGan.Tests.Data.TestImages.WriteSolidPng(dir.Combine("trainA", "a.png"), 28, 20, 1, 2, 3);
        var config = Small("none", dir.Path);
        string text = CycleGan.App.Cli.DescribeCommand.Describe(config, null, false);
        Assert.Contains("input 28x20 (data.preprocess none", text);
        Assert.Contains("[1, 3, 20, 28] -> [1, 3, 20, 28]", text);
    }

    [Fact]
    public void ScaleWidthWithoutADatasetSaysTheSizeDependsOnTheImages()
    {
        var config = Small("scale_width", "/nonexistent/dataset");
        string text = CycleGan.App.Cli.DescribeCommand.Describe(config, null, false);
        Assert.Contains("height by each image's aspect ratio", text);
        Assert.Contains("shown for a 32x32 image", text);
        Assert.DoesNotContain("input 256x256", text, StringComparison.Ordinal);
    }

    private static CycleGan.App.Config.CycleGanConfig Small(string preprocess, string root) => new()
    {
        Data = new() { Preprocess = preprocess, DataRoot = root, LoadSize = 32 },
        Model = new() { NetG = "resnet_6blocks", Ngf = 4, Ndf = 4 },
    };
}

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

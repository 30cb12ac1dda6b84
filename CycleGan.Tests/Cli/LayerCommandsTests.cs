using CycleGan.App.Verification.Catalogue;

namespace CycleGan.Tests.Cli;

public class LayerCommandsTests
{
    private static readonly string Cwd = AppContext.BaseDirectory;

    [Fact]
    public void Layers_prints_every_catalogued_layer_with_its_kernel()
    {
        var r = CliRunner.Run(Cwd, "layers");
        Assert.True(r.ExitCode == 0, r.All);
        foreach (LayerEntry e in LayerCatalogue.Entries)
        {
            Assert.Contains(e.Name, r.Stdout);
            Assert.Contains(e.ReferenceKernel, r.Stdout);
        }
    }

    [Fact]
    public void Verify_layers_prints_a_passing_table_for_a_layer()
    {
        var r = CliRunner.Run(Cwd, "verify-layers", "--layer", "ReLU", "--dtype", "float64", "--device", "cpu");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("max abs err", r.Stdout);
        Assert.Contains("max rel err", r.Stdout);
        Assert.Matches(@"ReLU\s+float64\s+.*pass", r.Stdout);
        Assert.Matches(@"verify-layers: \d+ passed, 0 failed", r.Stdout);
    }

    [Fact]
    public void Verify_layers_exits_1_and_marks_the_cases_when_a_layer_fails()
    {
        // Sigmoid's float32 errors are small but not zero: they pass at the real tolerance and fail with every tolerance
        // scaled by 1e-12, as they would against a wrong kernel
        string[] args = ["verify-layers", "--layer", "Sigmoid", "--dtype", "float32", "--device", "cpu"];
        var pass = CliRunner.Run(Cwd, args);
        Assert.True(pass.ExitCode == 0, pass.All);
        Assert.Matches(@"verify-layers: \d+ passed, 0 failed", pass.Stdout);

        var fail = CliRunner.Run(Cwd, [.. args, "--tolerance-scale", "1e-12"]);
        Assert.True(fail.ExitCode == 1, fail.All);
        Assert.Matches(@"Sigmoid\s+float32\s+.*FAIL", fail.Stdout);
        Assert.Matches(@"Sigmoid\s+\d+ cases\s+FAIL \(\d+ failed\)", fail.Stdout);
        Assert.Matches(@"verify-layers: \d+ passed, [1-9]\d* failed", fail.Stdout);
    }

    [Theory]
    [InlineData("verify-layers --layer NoSuchLayer", "'NoSuchLayer' is not a catalogued layer")]
    [InlineData("verify-layers --device gpu", "--device 'gpu' is not valid")]
    [InlineData("verify-layers --dtype float16", "float16")]
    [InlineData("verify-layers --tolerance-scale 0", "--tolerance-scale must be a positive number")]
    [InlineData("no-such-command", "no-such-command")]
    public void Bad_arguments_exit_2_naming_the_culprit(string args, string expected)
    {
        var r = CliRunner.Run(Cwd, args.Split(' '));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
    }
}

using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Cli;
using CycleGan.App.Inference;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp.PyBridge;

namespace CycleGan.Tests.Inference;

[Collection(GlobalRandomCollection.Name)]
public sealed class TranslateTests(TrainedRunFixture fixture)
{
    [Fact]
    public void KeepsTheInputsSizeAndWritesBesideTheRun()
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("odd size.png"), TestImages.Coordinates(21, 13));
        Assert.Equal(0, CliApp.Run(["translate", input, "--run", fixture.Run, "--device", "cpu"]));
        string output = Path.Combine(fixture.Run, "translated", "odd size_fake_B.png");
        using var image = Image.Load<Rgb24>(output);
        Assert.Equal((21, 13), (image.Width, image.Height));
    }

    [Fact]
    public void NeverOverwritesUnlessAskedAndNeverAnInput()
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("a.png"), TestImages.Coordinates(16, 16));
        string outDir = dir.Combine("out");
        Assert.Equal(0, CliApp.Run(["translate", input, "--run", fixture.Run, "--output", outDir]));
        string output = Path.Combine(outDir, "a_fake_B.png");
        File.WriteAllBytes(output, [1, 2, 3]);
        Assert.Equal(1, CliApp.Run(["translate", input, "--run", fixture.Run, "--output", outDir]));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(output));
        Assert.Equal(0, CliApp.Run(["translate", input, "--run", fixture.Run, "--output", outDir, "--overwrite"]));
        Assert.NotEqual([1, 2, 3], File.ReadAllBytes(output));

        // an input named like another input's output is left alone, even with --overwrite
        string clash = TestImages.WritePng(dir.Combine("b_fake_B.png"), TestImages.Coordinates(16, 16));
        TestImages.WritePng(dir.Combine("b.png"), TestImages.Coordinates(16, 16));
        byte[] before = File.ReadAllBytes(clash);
        Assert.Equal(1, CliApp.Run(["translate", dir.Combine("b.png"), clash, "--run", fixture.Run, "--output", dir.Path, "--overwrite"]));
        Assert.Equal(before, File.ReadAllBytes(clash));
    }

    [Fact]
    public void BadFilesAreReportedAndTheOthersStillTranslated()
    {
        using var dir = new TempDirectory();
        string folder = dir.Combine("in");
        Directory.CreateDirectory(folder);
        TestImages.WritePng(Path.Combine(folder, "good.png"), TestImages.Coordinates(16, 12));
        File.WriteAllBytes(Path.Combine(folder, "empty.png"), []);
        File.WriteAllText(Path.Combine(folder, "text.jpg"), "not an image");
        string outDir = dir.Combine("out");
        var result = CliRunner.Run(dir.Path, "translate", folder, Path.Combine(folder, "*.png"), dir.Combine("missing.png"), "--run", fixture.Run, "--output", outDir);
        Assert.Equal(1, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(outDir, "good_fake_B.png")));
        Assert.Contains("empty.png: ", result.All);
        Assert.Contains("file is empty", result.All);
        Assert.Contains("text.jpg: ", result.All);
        Assert.Contains("missing.png: no such file or folder", result.All);
        Assert.Contains("Wrote 1 image(s)", result.All);
    }

    [Fact]
    public void InputsOfTheSameNameGetAnOutputEachAndTheSummaryCountsTheFilesWritten()
    {
        using var dir = new TempDirectory();
        string folder = dir.Combine("in"), other = dir.Combine("other"), outDir = dir.Combine("out");
        Directory.CreateDirectory(folder);
        Directory.CreateDirectory(other);
        TestImages.WritePng(Path.Combine(folder, "photo.png"), TestImages.Coordinates(16, 16));
        File.WriteAllBytes(Path.Combine(folder, "photo.jpg"), TestImages.NoisyJpeg(16, 16, 1));
        // no solid images: instance normalisation maps every constant image to the same output
        File.WriteAllBytes(Path.Combine(folder, "solo.jpg"), TestImages.NoisyJpeg(16, 16, 2));
        using (var flipped = TestImages.Coordinates(16, 16))
        {
            flipped.Mutate(x => x.Flip(FlipMode.Vertical));
            TestImages.WritePng(Path.Combine(other, "photo.png"), flipped);
        }
        var result = CliRunner.Run(dir.Path, "translate", folder, other, "--run", fixture.Run, "--output", outDir);
        Assert.Equal(0, result.ExitCode);
        var written = Directory.GetFiles(outDir, "*.png", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(outDir, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["in/photo_png_fake_B.png", "other/photo_png_fake_B.png", "photo_jpg_fake_B.png", "solo_fake_B.png"], written);
        Assert.Contains("Wrote 4 image(s)", result.All);
        // four different translations: none was replaced by another
        Assert.Equal(4, written.Select(w => Convert.ToBase64String(File.ReadAllBytes(Path.Combine(outDir, w)))).Distinct().Count());
    }

    [Fact]
    public void AMissingRunSaysWhichRunsExist()
    {
        var result = CliRunner.Run(fixture.Tiny.Folder, "translate", "x.png", "--run", Path.Combine(fixture.Tiny.RunsDir, "nope"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope does not exist", result.Stderr);
        Assert.Contains("tiny", result.Stderr);

        using var empty = new TempDirectory();
        var none = CliRunner.Run(empty.Path, "translate", "x.png");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("no trained run in", none.Stderr);
    }

    [Fact]
    public void EpochWithACheckpointFileIsRefused()
    {
        using var dir = new TempDirectory();
        // a real input and a real checkpoint: only the rule under test can stop this translate
        string input = TestImages.WritePng(dir.Combine("a.png"), TestImages.Coordinates(16, 16));
        string checkpoint = Path.Combine(fixture.Run, "checkpoints", "latest.ckpt");
        var result = InProcessCli.Run("translate", input, "--checkpoint", checkpoint, "--epoch", "1", "--output", dir.Combine("out"));
        InProcessCli.AssertRefused(result, "--epoch 1 chooses a checkpoint of a run: use it with --run (or alone), not with --checkpoint or --weights", dir.Combine("out"));
    }

    [Fact]
    public void AOneChannelModelTranslatesColourInputsAsGray()
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("colour.png"), TestImages.Coordinates(16, 16));
        Assert.Equal(0, CliApp.Run(["translate", input, "--run", fixture.GrayRun, "--output", dir.Path]));
        using var image = Image.Load<Rgb24>(dir.Combine("colour_fake_B.png"));
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                Rgb24 p = image[x, y];
                Assert.True(p.R == p.G && p.G == p.B, $"pixel {x},{y} is not gray");
            }
        }
    }

    [Fact]
    public void ReferenceWeightsGiveTheSameTranslationAsTheCheckpoint()
    {
        using var dir = new TempDirectory();
        string input = TestImages.WritePng(dir.Combine("p.png"), TestImages.Coordinates(20, 16));
        using (var model = GeneratorSource.FromRun(fixture.Run, null, torch.CPU))
        {
            model[Direction.BtoA].Network.save_py(dir.Combine("latest_net_G_B.pth"));
        }

        Assert.Equal(0, CliApp.Run(["translate", input, "--run", fixture.Run, "--direction", "BtoA", "--output", dir.Combine("ckpt")]));
        Assert.Equal(0, CliApp.Run(["translate", input, "--weights", dir.Combine("latest_net_G_B.pth"), "--config", fixture.Tiny.ConfigPath,
            "--direction", "BtoA", "--output", dir.Combine("pth")]));
        Assert.Equal(File.ReadAllBytes(dir.Combine("ckpt", "p_fake_A.png")), File.ReadAllBytes(dir.Combine("pth", "p_fake_A.png")));

        // weights of another architecture are refused with the file named
        var result = CliRunner.Run(dir.Path, "translate", input, "--weights", dir.Combine("latest_net_G_B.pth"), "--output", dir.Combine("x"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not fit a resnet_9blocks (ngf 64, norm instance) generator", result.Stderr);
    }

    [Fact]
    public void PaddingToTheNetworksMultipleLeavesFittingImagesAlone()
    {
        using var model = GeneratorSource.FromRun(fixture.Run, null, torch.CPU);
        var (net, multiple) = (model[Direction.AtoB].Network, model[Direction.AtoB].Identity.SideMultiple);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.empty(2, 3, 16, 20).uniform_(-1, 1);
        Assert.True(torch.equal(net.call(x), Translator.Apply(net, x, multiple)).all().item<bool>());
        var odd = torch.empty(1, 3, 13, 18).uniform_(-1, 1);
        Assert.Equal(new long[] { 1, 3, 13, 18 }, Translator.Apply(net, odd, multiple).shape);
    }
}

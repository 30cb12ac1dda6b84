using System.Text.Json.Nodes;
using CycleGan.App.Cli;
using CycleGan.App.Evaluation;
using CycleGan.App.Inference;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Inference;

[Collection(GlobalRandomCollection.Name)]
public sealed class TestAndEvaluateTests(TrainedRunFixture fixture)
{
    [Fact]
    public void TestWritesTheResultPageWithEveryImage()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, CliApp.Run(["test", "--run", fixture.Run, "--results-dir", dir.Path]));
        string folder = Path.Combine(dir.Path, "tiny", "2");
        string index = File.ReadAllText(Path.Combine(folder, "index.html"));
        foreach (string name in new[] { "00000_real_A", "00000_fake_B", "00000_rec_A", "00001_real_B", "00001_fake_A", "00001_rec_B" })
        {
            Assert.Contains($"images/{name}.png", index);
            Assert.True(File.Exists(Path.Combine(folder, "images", name + ".png")), name);
        }
    }

    [Fact]
    public void TestImagesOfTheSameNameGetAResultEach()
    {
        using var dir = new TempDirectory();
        string data = DatasetBuilder.EmptyTestSplit(dir);
        TestImages.WriteSolidPng(Path.Combine(data, "testA", "x.png"), 16, 16, 200, 40, 40);
        File.WriteAllBytes(Path.Combine(data, "testA", "x.jpg"), TestImages.NoisyJpeg(16, 16, 2));
        TestImages.WriteSolidPng(Path.Combine(data, "testB", "y.png"), 16, 16, 20, 40, 220);
        Assert.Equal(0, CliApp.Run(["test", "--run", fixture.Run, "--data", data, "--results-dir", dir.Combine("results")]));
        string folder = Path.Combine(dir.Combine("results"), "tiny", "2");
        string index = File.ReadAllText(Path.Combine(folder, "index.html"));
        foreach (string name in new[] { "x_png_real_A", "x_jpg_real_A", "x_png_fake_B", "x_jpg_fake_B", "y_real_B" })
        {
            Assert.Contains($"images/{name}.png", index);
        }

        Assert.NotEqual(File.ReadAllBytes(Path.Combine(folder, "images", "x_png_real_A.png")), File.ReadAllBytes(Path.Combine(folder, "images", "x_jpg_real_A.png")));
    }

    [Fact]
    public void EvaluateReportsCycleIdentityAndTruthMetricsAsJson()
    {
        var result = CliRunner.Run(fixture.Tiny.Folder, "evaluate", "--run", fixture.Run, "--json");
        Assert.Equal(0, result.ExitCode);
        var report = JsonNode.Parse(result.Stdout)!.AsObject();
        Assert.Equal(2, report["epoch"]!.GetValue<int>());
        var results = report["results"]!.AsArray();
        Assert.Equal(["A->B", "B->A"], results.Select(r => r!["direction"]!.GetValue<string>()).ToArray());
        foreach (var r in results)
        {
            Assert.Equal(2, r!["images"]!.GetValue<int>());
            Assert.Equal(2, r["truth_images"]!.GetValue<int>());
            double cycle = r["cycle_l1"]!.GetValue<double>(), ssim = r["ssim"]!.GetValue<double>(), psnr = r["psnr_db"]!.GetValue<double>();
            Assert.InRange(cycle, 1e-6, 1);
            Assert.InRange(ssim, -1, 1);
            Assert.InRange(psnr, 0, 100);
        }
    }

    [Fact]
    public void EvaluateWithoutTestImagesNamesTheFolder()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("testA"));
        Directory.CreateDirectory(dir.Combine("testB"));
        var result = CliRunner.Run(fixture.Tiny.Folder, "evaluate", "--run", fixture.Run, "--data", dir.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("testA", result.Stderr);
    }

    [Fact]
    public void GeneratorsThatChangeNothingScorePerfectlyAgainstTruthEqualToTheInput()
    {
        using var dir = new TempDirectory();
        foreach (string folder in new[] { "testA", "testA_truth" })
        {
            TestImages.WritePng(dir.Combine(folder, "x.png"), TestImages.Coordinates(20, 16));
        }

        using var noisy = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(TestImages.NoisyJpeg(24, 12, 5));
        foreach (string folder in new[] { "testB", "testB_truth" })
        {
            TestImages.WritePng(dir.Combine(folder, "y.png"), noisy);
        }

        using var model = StandInGenerator.Model(StandInGenerator.Identity(), StandInGenerator.Identity());
        var report = TestSetEvaluation.Evaluate(model, TestSet.Open(model, dir.Path), TorchSharp.torch.CPU, 10);
        foreach (var r in report.Results)
        {
            Assert.Equal((1, 1), (r.Images, r.TruthImages));
            Assert.Equal(0.0, r.CycleL1);
            Assert.Equal(0.0, r.IdentityL1);
            Assert.Equal(double.PositiveInfinity, r.Psnr);
            Assert.Equal(double.PositiveInfinity, r.InputPsnr);
            Assert.Equal(1.0, r.Ssim!.Value, 12);
            Assert.Equal(1.0, r.InputSsim!.Value, 12);
        }
    }

    [Fact]
    public void CycleIdentityAndInputErrorsAreTheDefinitionsOnSolidImages()
    {
        // G_A leaves images as they are, G_B inverts them (x -> -x in [-1, 1], v -> 1 - v in [0, 1]). Solid images,
        // so every expected value is a sum over three channel values, worked out here from the 8-bit levels.
        using var dir = new TempDirectory();
        byte[] a = [200, 40, 40], truthA = [100, 100, 130], b = [10, 250, 90];
        TestImages.WriteSolidPng(dir.Combine("testA", "x.png"), 16, 12, a[0], a[1], a[2]);
        TestImages.WriteSolidPng(dir.Combine("testA_truth", "x.png"), 16, 12, truthA[0], truthA[1], truthA[2]);
        TestImages.WriteSolidPng(dir.Combine("testB", "y.png"), 8, 8, b[0], b[1], b[2]);
        using var model = StandInGenerator.Model(StandInGenerator.Identity(), new StandInGenerator(x => x.neg()));
        var report = TestSetEvaluation.Evaluate(model, TestSet.Open(model, dir.Path), TorchSharp.torch.CPU, 10);
        static double Inverted(byte[] v) => v.Average(level => Math.Abs((1 - (level / 255.0)) - (level / 255.0)));

        var fromA = report.Results[0];
        Assert.Equal("A->B", fromA.Direction);
        // A -> G_A (unchanged) -> G_B (inverted); the identity check runs G_B, which produces domain A, on A's images
        Assert.Equal(Inverted(a), fromA.CycleL1, 1e-6);
        Assert.Equal(Inverted(a), fromA.IdentityL1, 1e-6);
        double mse = a.Zip(truthA, (p, q) => Math.Pow((p - q) / 255.0, 2)).Average();
        Assert.Equal(10 * Math.Log10(1 / mse), fromA.InputPsnr!.Value, 1e-4);
        Assert.Equal(10 * Math.Log10(1 / mse), fromA.Psnr!.Value, 1e-4); // the translation is the input itself

        var fromB = report.Results[1];
        Assert.Equal("B->A", fromB.Direction);
        // B -> G_B (inverted) -> G_A (unchanged); the identity check runs G_A on B's images: no change
        Assert.Equal(Inverted(b), fromB.CycleL1, 1e-6);
        Assert.Equal(0.0, fromB.IdentityL1);
        Assert.Equal(0, fromB.TruthImages);
        Assert.Null(fromB.Psnr);
    }
}

using System.Text.Json.Nodes;
using CycleGan.App.Cli;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;
using Xunit;

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
        string data = dir.Combine("data");
        Directory.CreateDirectory(Path.Combine(data, "testA"));
        Directory.CreateDirectory(Path.Combine(data, "testB"));
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
}

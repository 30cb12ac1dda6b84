using System.Text.Json;
using CycleGan.App.Cli;
using CycleGan.App.Evaluation;
using CycleGan.App.Inference;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;

namespace CycleGan.Tests.Evaluation;

/// <summary>`cyclegan fid`, run as a user runs it: two folders (recursively, a bad image skipped by name), a saved
/// .npz in place of a folder, and exit 2 with a clear message for what cannot be compared.</summary>
public sealed class FidCommandTests
{
    // a guard against a hung process, not a speed bound: on a busy 2-core machine one Inception run took minutes
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    [Fact]
    public void Folders_and_their_saved_statistics_give_one_fid_and_kid_needs_folders()
    {
        using var dir = new TempDirectory();
        string weights = RandomInceptionFile.Write(dir.Combine("inception.pth"));
        Directory.CreateDirectory(dir.Combine("real", "nested"));
        Directory.CreateDirectory(dir.Combine("fake"));
        TestImages.WritePng(dir.Combine("real", "r1.png"), TestImages.Coordinates(16, 16));
        TestImages.WriteSolidPng(dir.Combine("real", "nested", "r2.png"), 16, 16, 30, 200, 30);
        TestImages.WriteSolidPng(dir.Combine("real", "r3.png"), 16, 16, 200, 30, 90);
        File.WriteAllBytes(dir.Combine("fake", "f1.jpg"), TestImages.NoisyJpeg(16, 16, 3));
        TestImages.WriteSolidPng(dir.Combine("fake", "f2.png"), 16, 16, 250, 250, 250);
        File.WriteAllBytes(dir.Combine("fake", "broken.png"), [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

        var run = CliRunner.Run(dir.Path, Patience, "fid", dir.Combine("real"), dir.Combine("fake"), "--kid", "--json", "--batch-size", "2", "--inception-weights", weights);
        Assert.True(run.ExitCode == 1, run.All); // results, with the unreadable image reported
        Assert.Contains("broken.png", run.Stderr);
        JsonElement report = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(3, report.GetProperty("first").GetProperty("images").GetInt32());
        Assert.Equal(2, report.GetProperty("second").GetProperty("images").GetInt32());
        Assert.Equal([dir.Combine("fake", "broken.png")], report.GetProperty("second").GetProperty("unreadable").EnumerateArray().Select(e => e.GetString()));
        double fid = report.GetProperty("fid").GetDouble();
        Assert.Contains("biased upward", report.GetProperty("note").GetString());
        Assert.True(double.IsFinite(report.GetProperty("kid").GetDouble()));

        // the same FID from the features of the evaluate path's loader (16x16 images: no resizing there)
        using (var scope = torch.NewDisposeScope())
        using (var inception = InceptionWeights.Load(weights))
        {
            using var real = new InceptionFeatures(inception, torch.CPU);
            using var fake = new InceptionFeatures(inception, torch.CPU);
            foreach (string f in new[] { "r1.png", "nested/r2.png", "r3.png" })
            {
                real.Add(TestSet.Load(dir.Combine("real", f), 3, torch.CPU));
            }

            fake.Add(TestSet.Load(dir.Combine("fake", "f1.jpg"), 3, torch.CPU));
            fake.Add(TestSet.Load(dir.Combine("fake", "f2.png"), 3, torch.CPU));
            double expected = FrechetDistance.Compute(real.Collect(), fake.Collect());
            // batches of 2 there, 8 here: float32 convolutions round differently, and 3 against 2 images leave S1 S2
            // almost all rounding floor (measured 5e-9 relative)
            Assert.True(Math.Abs(fid - expected) <= 1e-6 * expected, $"fid command {fid}, features here {expected}");
        }

        // --save-stats, then the .npz in place of the folder: the same FID, N unknown for the file
        var save = CliRunner.Run(dir.Path, Patience, "fid", dir.Combine("real"), "--save-stats", dir.Combine("real.npz"), "--batch-size", "2", "--inception-weights", weights);
        Assert.True(save.ExitCode == 0, save.All);
        var mixed = CliRunner.Run(dir.Path, Patience, "fid", dir.Combine("real.npz"), dir.Combine("fake"), "--batch-size", "2", "--inception-weights", weights);
        Assert.True(mixed.ExitCode == 1, mixed.All);
        Assert.Contains("statistics file, N not stored", mixed.Stdout);
        Assert.Contains($"FID: {fid:0.######}", mixed.Stdout);

        var kid = CliRunner.Run(dir.Path, Patience, "fid", dir.Combine("real.npz"), dir.Combine("fake"), "--kid", "--inception-weights", weights);
        Assert.Equal(CliApp.BadInput, kid.ExitCode);
        Assert.Contains("KID needs every image's features", kid.Stderr);
    }

    [Fact]
    public void Two_statistics_files_need_no_inception_and_give_pytorch_fids_formula()
    {
        using var dir = new TempDirectory();
        string numpy = SplitMixWeights.Fixture("numpy_stats.npz");
        var shifted = FidStatistics.Load(numpy) with { Mean = FidStatistics.Load(numpy).Mean.Select(m => m + 1).ToArray() };
        shifted.Save(dir.Combine("shifted.npz"));

        // same covariance, means 1 apart in each of 5 dimensions: FID = 5 (tr S + tr S - 2 tr S)
        var run = CliRunner.Run(dir.Path, Patience, "fid", numpy, dir.Combine("shifted.npz"), "--json", "--inception-weights", dir.Combine("absent.pth"));
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Equal(5.0, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("fid").GetDouble(), 9);
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("empty", "holds no images")]
    [InlineData("one", "at least 2 images per set")]
    public void Inputs_that_cannot_be_compared_exit_2_naming_them(string folder, string message)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("empty"));
        Directory.CreateDirectory(dir.Combine("one"));
        File.WriteAllText(dir.Combine("empty", "notes.txt"), "no images here");
        TestImages.WriteSolidPng(dir.Combine("one", "a.png"), 8, 8, 1, 2, 3);
        File.WriteAllBytes(dir.Combine("one", "b.png"), [1, 2, 3]);
        string weights = folder == "one" ? RandomInceptionFile.Write(dir.Combine("inception.pth")) : dir.Combine("absent.pth");

        var run = CliRunner.Run(dir.Path, Patience, "fid", dir.Combine(folder), SplitMixWeights.Fixture("numpy_stats.npz"), "--inception-weights", weights);
        Assert.True(run.ExitCode == CliApp.BadInput, run.All);
        Assert.Contains(dir.Combine(folder), run.Stderr);
        Assert.Contains(message, run.Stderr);
    }

    [Theory]
    [InlineData(new[] { "fid", "a" }, "compares two inputs")]
    [InlineData(new[] { "fid", "a", "b", "--save-stats", "s.npz" }, "statistics of one input")]
    [InlineData(new[] { "fid", "a", "--save-stats", "s.txt" }, "must end in .npz")]
    [InlineData(new[] { "fid", "a", "b", "--dims", "768" }, "--dims 768 is not implemented")]
    [InlineData(new[] { "fid", "a", "b", "--batch-size", "0" }, "--batch-size 0")]
    public void Options_that_cannot_take_effect_are_refused(string[] args, string message)
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, Patience, args);
        Assert.True(run.ExitCode == CliApp.BadInput, run.All);
        Assert.Contains(message, run.Stderr);
    }
}

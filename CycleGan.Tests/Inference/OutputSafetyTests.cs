using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Cli;
using CycleGan.App.Inference;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CycleGan.Tests.Inference;

/// <summary>Outputs are never lost or replaced: concurrent translates, an output folder that is an input folder, test
/// results of two runs of one name; and a failed test image fails the test command as it fails evaluate.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class OutputSafetyTests(TrainedRunFixture fixture) : IClassFixture<TrainedRunFixture>
{
    [Fact]
    public void TwoTranslatesIntoOneFolderAtOnceWriteEachFileOnceAndCountWhatTheyWrote()
    {
        using var dir = new TempDirectory();
        const int count = 60;
        var inputs = Enumerable.Range(0, count)
            .Select(i => { var p = dir.Combine($"in/p{i:D3}.jpg"); Directory.CreateDirectory(dir.Combine("in")); File.WriteAllBytes(p, TestImages.NoisyJpeg(16, 16, i)); return p; })
            .ToList();
        string output = dir.Combine("out");
        string checkpoint = Path.Combine(fixture.Run, "checkpoints", "latest.ckpt");
        var written = new int[2];
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            using TrainedGenerators model = GeneratorSource.FromCheckpoint(checkpoint, torch.CPU);
            var translator = new Translator(model[Direction.AtoB], torch.CPU, new TranslateOptions { OutputFolder = output, Batch = 1 });
            start.SignalAndWait();
            written[t] = translator.Run(inputs).Count(o => o.Output is not null);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var files = Directory.GetFiles(output, "*.png");
        Assert.Equal(count, files.Length);
        Assert.Equal(count, written[0] + written[1]);
        Assert.Empty(Directory.GetFiles(output, ".*"));
        foreach (string f in files)
        {
            using var image = Image.Load<Rgb24>(f);
            Assert.Equal((16, 16), (image.Width, image.Height));
        }
    }

    [Fact]
    public void AnOutputFolderThatIsAnInputFolderIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempDirectory();
        string folder = dir.Combine("photos");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "a.jpg"), TestImages.NoisyJpeg(16, 16, 1));
        var result = Slow.Run(dir.Path, "translate", "photos", "--run", fixture.Run, "--output", "photos/");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is the input folder of 'photos'", result.Stderr);
        Assert.Equal(["a.jpg"], Directory.GetFiles(folder).Select(Path.GetFileName));

        var glob = Slow.Run(dir.Path, "translate", "photos/*.jpg", "--run", fixture.Run, "--output", folder);
        Assert.Equal(2, glob.ExitCode);

        // a sub-folder is not read by a later run: allowed
        Assert.Equal(0, CliApp.Run(["translate", folder, "--run", fixture.Run, "--output", Path.Combine(folder, "translated")]));
        Assert.True(File.Exists(Path.Combine(folder, "translated", "a_fake_B.png")));
    }

    [Fact]
    public void TestResultsOfAnotherRunOfTheSameNameDoNotReplaceThoseThere()
    {
        using var dir = new TempDirectory();
        string other = dir.Combine("runs2/tiny");
        CopyFolder(fixture.Run, other);
        string results = dir.Combine("results");
        Assert.Equal(0, CliApp.Run(["test", "--run", fixture.Run, "--results-dir", results]));
        string folder = Path.Combine(results, "tiny", "2");
        var before = Snapshot(folder);

        var second = Slow.Run(dir.Path, "test", "--run", other, "--results-dir", results);
        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"holds the test results of {fixture.Run}, not of {other}", second.Stderr);
        Assert.Equal(before, Snapshot(folder));

        // the same run again may rewrite its own results
        Assert.Equal(0, CliApp.Run(["test", "--run", fixture.Run, "--results-dir", results]));
    }

    [Fact]
    public void AnUnreadableTestImageFailsTestAsItFailsEvaluateAndItsMessageNamesThePathOnce()
    {
        using var dir = new TempDirectory();
        string data = DatasetBuilder.EmptyTestSplit(dir);
        File.WriteAllBytes(Path.Combine(data, "testA", "good.jpg"), TestImages.NoisyJpeg(16, 16, 1));
        File.WriteAllText(Path.Combine(data, "testA", "bad.png"), "not an image");
        File.WriteAllBytes(Path.Combine(data, "testB", "y.jpg"), TestImages.NoisyJpeg(16, 16, 2));
        var test = Slow.Run(dir.Path, "test", "--run", fixture.Run, "--data", data, "--results-dir", dir.Combine("results"));
        var evaluate = Slow.Run(dir.Path, "evaluate", "--run", fixture.Run, "--data", data);
        Assert.Equal(1, evaluate.ExitCode);
        Assert.Equal(evaluate.ExitCode, test.ExitCode);
        Assert.True(File.Exists(Path.Combine(dir.Combine("results"), "tiny", "2", "images", "good_fake_B.png")));
        foreach (var run in new[] { test, evaluate, Slow.Run(dir.Path, "translate", Path.Combine(data, "testA", "bad.png"), "--run", fixture.Run) })
        {
            string line = run.All.Split('\n').Single(l => l.Contains("bad.png: ", StringComparison.Ordinal));
            Assert.Equal(1, line.Split("bad.png").Length - 1);
        }
    }

    [Fact]
    public void EvaluateWritesDirectionsAsPlainJson()
    {
        var result = Slow.Run(fixture.Tiny.Folder, "evaluate", "--run", fixture.Run, "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"direction\": \"A->B\"", result.Stdout);
        Assert.DoesNotContain("\\u00", result.Stdout);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
        }

        Directory.CreateDirectory(to);
        foreach (string f in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
        }
    }

    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToBase64String(File.ReadAllBytes(f)));
}

using CycleGan.App.Runs;
using CycleGan.App.Cli;
using CycleGan.App.Evaluation;
using CycleGan.App.Training;
using CycleGan.Tests.Cli;
using TorchSharp.PyBridge;

namespace CycleGan.Tests.Training;

/// <summary>What a training session tells the user and leaves behind: nothing when it is refused, a run page that shows
/// every reported loss and stops reloading at the end, a summary with figures even for a short session, one wording in
/// the console and train.log.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class TrainMessagesTests
{
    [Fact]
    public void ARunRefusedForItsInceptionWeightsLeavesNoRunFolder()
    {
        using var tiny = new TinyRun();
        string wrongKeys = Path.Combine(tiny.Folder, "wrong.pth");
        using (var linear = torch.nn.Linear(2, 2))
        {
            linear.save_py(wrongKeys);
        }

        string? saved = Environment.GetEnvironmentVariable(InceptionWeights.EnvironmentVariable);
        Environment.SetEnvironmentVariable(InceptionWeights.EnvironmentVariable, null);
        try
        {
            Assert.Throws<FileNotFoundException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["output.eval_freq=1"])));
            Assert.False(Directory.Exists(tiny.RunFolder()), "a run refused for missing weights made its folder");
            var ex = Assert.Throws<InvalidDataException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath,
                set: ["output.eval_freq=1", $"output.inception_weights={wrongKeys}"])));
            Assert.Contains("does not fit the FID Inception", ex.Message);
            Assert.False(Directory.Exists(tiny.RunFolder()), "a run refused for wrong weights made its folder");
            Assert.False(Directory.Exists(tiny.RunsDir));
        }
        finally
        {
            Environment.SetEnvironmentVariable(InceptionWeights.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public void TheRunPageShowsEveryReportedLossAndStopsReloadingAndTheLogSaysWhatTheConsoleSays()
    {
        using var tiny = new TinyRun();
        // a loss report at every iteration: the last one comes after the last sample sheet rewrote the page
        var first = Slow.Run(tiny.Folder, "train", "--config", tiny.ConfigPath, "--set", "output.print_freq=1", "--stop-after-epoch", "1");
        Assert.Equal(0, first.ExitCode);
        var run = new RunDirectory(tiny.RunFolder());
        AssertPageIsFinal(run);

        var resumed = Slow.Run(tiny.Folder, "train", "--resume", run.Root);
        Assert.Equal(0, resumed.ExitCode);
        AssertPageIsFinal(run);
        Assert.Contains($"resuming from checkpoint {run.Latest}", resumed.Stdout);
        Assert.DoesNotContain($"config {run.Latest}", resumed.Stdout);

        // the console's information lines (after its time stamp) are the log's, word for word
        static IEnumerable<string> Lines(string text, string marker) => text.Split('\n')
            .Select(l => l.TrimEnd('\r')).Where(l => l.Contains(marker, StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]);
        var console = Lines(first.Stdout + resumed.Stdout, " INF] ").ToList();
        var log = Lines(File.ReadAllText(run.LogFile), " [INF] ").ToList();
        Assert.True(console.Count > 10, $"only {console.Count} console lines");
        Assert.Equal(console, log);
    }

    [Fact]
    public void ASessionShorterThanPrintFreqReportsItsLossesAndMemoryAndANoEpochCheckpointSaysSo()
    {
        using var tiny = new TinyRun();
        using var stop = new CancellationTokenSource();
        stop.Cancel(); // interrupted after its first iteration, long before print_freq
        Assert.Equal(TrainCommand.Interrupted, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["output.print_freq=100"]), stopRequested: stop.Token));
        string log = File.ReadAllText(Path.Combine(tiny.RunFolder(), "train.log"));
        Assert.DoesNotContain("n/a", log);
        Assert.DoesNotContain("resident memory 0 MB", log);
        Assert.Contains("Losses, last report:  D_A ", log);

        var translate = Slow.Run(tiny.Folder, "translate", Path.Combine(tiny.DataRoot, "testA"), "--run", tiny.RunFolder(), "--output", Path.Combine(tiny.Folder, "out"));
        Assert.Equal(0, translate.ExitCode);
        Assert.Contains("(within epoch 1 (no epoch completed))", translate.All);
        Assert.DoesNotContain("epoch 0", translate.All);
    }

    [Fact]
    public void AMissingPublicDatasetIsNamedWithTheCommandThatGetsIt()
    {
        using var tiny = new TinyRun();
        string missing = Path.Combine(tiny.Folder, "datasets", "horse2zebra");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: [$"data.dataroot={missing}"])));
        Assert.Contains($"scripts/download_dataset.sh horse2zebra {Path.GetDirectoryName(missing)}", ex.Message);
        Assert.False(Directory.Exists(tiny.RunsDir));
    }

    [Fact]
    public void ThePublicDatasetsAreThoseTheDownloadScriptKnows()
    {
        string script = File.ReadAllText(Path.Combine(Repository.Root, "scripts", "download_dataset.sh"));
        int start = script.IndexOf("NAMES=(", StringComparison.Ordinal) + "NAMES=(".Length;
        var names = script[start..script.IndexOf(')', start)].Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Where(n => n != "cityscapes"); // the script refuses it (licence)
        Assert.Equal(names.Order(StringComparer.Ordinal), PublicDatasets.Names.Order(StringComparer.Ordinal));
    }

    private static void AssertPageIsFinal(RunDirectory run)
    {
        string page = File.ReadAllText(run.IndexHtml);
        Assert.DoesNotContain("http-equiv=\"refresh\"", page);
        // the charts drawn from every loss report now in losses.csv are the page's
        Assert.Contains(RunPlots.Html(run), page);
    }
}

using CycleGan.App.Cli;
using CycleGan.Data.Datasets;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Training;

/// <summary>A run that fails before it starts leaves nothing that blocks its retry: what can be checked is checked
/// before the run folder is made, and a run folder without a checkpoint counts as not started.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class RunStartTests
{
    [Fact]
    public void AMissingDatasetIsRefusedBeforeTheRunFolderIsMade()
    {
        using var tiny = new TinyRun();
        string missing = Path.Combine(tiny.Folder, "nonexistent");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "x", set: [$"data.dataroot={missing}"])));
        Assert.Contains(missing, ex.Message);
        Assert.False(Directory.Exists(tiny.RunFolder("x")), "the refused run left its folder behind");
        Assert.False(Directory.Exists(tiny.RunsDir), "the refused run made the runs folder");

        // the corrected command then simply runs
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "x", stopAfterEpoch: 1)));
    }

    [Fact]
    public void ADatasetWithoutTrainBIsRefusedBeforeTheRunFolderIsMade()
    {
        using var tiny = new TinyRun();
        Directory.Delete(Path.Combine(tiny.DataRoot, "trainB"), recursive: true);
        var ex = Assert.Throws<DatasetLayoutException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath)));
        Assert.Contains("trainB", ex.Message);
        Assert.False(Directory.Exists(tiny.RunFolder()));
    }

    [Fact]
    public void ARunThatStoppedBeforeItsFirstCheckpointCanBeStartedAgainKeepingItsLog()
    {
        using var tiny = new TinyRun();
        // networks that overflow at once: the run stops at iteration 1 with train.log and config.json, no checkpoint
        Assert.Equal(1, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["model.netG=resnet_9blocks", "model.norm=none", "model.ngf=16", "model.ndf=16", "model.init_gain=10"])));
        string run = tiny.RunFolder();
        Assert.False(File.Exists(Path.Combine(run, "checkpoints", "latest.ckpt")));
        string failedLog = File.ReadAllText(Path.Combine(run, "train.log"));

        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, stopAfterEpoch: 1)));
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "latest.ckpt")));
        string keptLog = Assert.Single(Directory.GetFiles(run, "train.*.log"));
        Assert.Equal(failedLog, File.ReadAllText(keptLog));
        Assert.DoesNotContain("is NaN", File.ReadAllText(Path.Combine(run, "train.log")), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(run, "config.*.json"));
    }

    [Fact]
    public void TwoFailedStartsWithinOneSecondKeepBothLogs()
    {
        using var tiny = new TinyRun();
        var run = new RunDirectory(tiny.RunFolder());
        foreach (string attempt in new[] { "first", "second" })
        {
            run.EnsureWritable();
            File.WriteAllText(run.LogFile, attempt);
            File.WriteAllText(run.ConfigFile, "{}");
            run.CreateForNewRun(force: false);
        }

        var kept = Directory.GetFiles(run.Root, "train.*.log").Select(File.ReadAllText).Order().ToArray();
        Assert.Equal(["first", "second"], kept);
    }

    [Fact]
    public void AFolderWithoutCheckpointThatATrainerHoldsIsNotReused()
    {
        using var tiny = new TinyRun();
        var run = new RunDirectory(tiny.RunFolder());
        run.EnsureWritable();
        File.WriteAllText(run.LogFile, "a run in its first iterations");
        using (run.Lock())
        {
            var ex = Assert.Throws<IOException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath)));
            Assert.Contains("in use", ex.Message);
        }

        Assert.Equal("a run in its first iterations", File.ReadAllText(run.LogFile));
    }

    [Fact]
    public void AFolderOfOtherFilesIsStillRefused()
    {
        using var tiny = new TinyRun();
        Directory.CreateDirectory(tiny.RunFolder());
        File.WriteAllText(Path.Combine(tiny.RunFolder(), "notes.txt"), "mine");
        var ex = Assert.Throws<IOException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath)));
        Assert.Contains("--force", ex.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(tiny.RunFolder(), "notes.txt")));
    }
}

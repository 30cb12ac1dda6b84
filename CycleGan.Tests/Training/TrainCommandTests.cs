using CycleGan.App.Cli;
using CycleGan.App.Config;
using CycleGan.App.Layers;
using CycleGan.App.Training;
using CycleGan.Tests.Cli;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Training;

/// <summary>The train command's outputs and its refusals: every bad request is a clear error and nothing that was
/// written before is changed.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class TrainCommandTests
{
    [Fact]
    public void ARunLeavesConfigLogSamplesIndexTensorBoardAndCheckpoints()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath)));
        var run = new RunDirectory(tiny.RunFolder());
        Assert.Equal(4, ConfigLoader.Load(run.ConfigFile).Model.Ngf);
        Assert.Contains("End of epoch 2", File.ReadAllText(run.LogFile));
        // 8 iterations, display_freq 3: sheets at 3 and 6, plus each epoch's last iteration (4 and 8)
        Assert.Equal(
            ["epoch_0001_iter_00000003.png", "epoch_0001_iter_00000004.png", "epoch_0002_iter_00000006.png", "epoch_0002_iter_00000008.png"],
            Directory.GetFiles(run.Samples).Select(f => Path.GetFileName(f)!).Order().ToArray());
        string index = File.ReadAllText(run.IndexHtml);
        Assert.Contains("samples/epoch_0002_iter_00000008.png", index);
        Assert.True(index.IndexOf("Epoch 2", StringComparison.Ordinal) < index.IndexOf("Epoch 1", StringComparison.Ordinal), "newest epoch first");
        Assert.Single(Directory.GetFiles(run.TensorBoard, "events.out.tfevents.*"));
        // keep_last 2 of the per-epoch checkpoints, and the latest
        Assert.Equal<int>([1, 2], run.EpochCheckpoints().Select(e => e.Epoch).ToArray());
        var latest = Checkpoint.Read(run.Latest);
        Assert.Equal(8, latest.State.Iteration);
        Assert.Equal(3, latest.State.Epoch);
    }

    [Fact]
    public void KeepLastPrunesTheOldestEpochCheckpointsAsEpochsEnd()
    {
        using var tiny = new TinyRun();
        var run = new RunDirectory(tiny.RunFolder());
        // 3 epochs of 4 iterations, an epoch checkpoint after each, keep_last 2: epoch 1's goes when epoch 3's is written
        var seen = new SortedDictionary<long, int[]>();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["train.n_epochs=2", "output.keep_last=2"]),
            s => seen[s.Iteration] = run.EpochCheckpoints().Select(e => e.Epoch).ToArray()));
        Assert.Equal<int>([], seen[4]); // the epoch checkpoint is written after the epoch's last iteration
        Assert.Equal<int>([1], seen[5]);
        Assert.Equal<int>([1, 2], seen[9]);
        Assert.Equal<int>([2, 3], run.EpochCheckpoints().Select(e => e.Epoch).ToArray());
        Assert.Equal(8, Checkpoint.Read(run.EpochCheckpoint(2)).State.Iteration);
        Assert.Equal(12, Checkpoint.Read(run.EpochCheckpoint(3)).State.Iteration);
        Assert.Equal(12, Checkpoint.Read(run.Latest).State.Iteration);
    }

    [Fact]
    public void ContinuingFromAnEarlierEpochMovesTheLaterCheckpointsAsideInsteadOfReplacingThem()
    {
        using var tiny = new TinyRun();
        var run = new RunDirectory(tiny.RunFolder());
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["train.n_epochs=2", "output.keep_last=0"])));
        byte[] epoch2 = File.ReadAllBytes(run.EpochCheckpoint(2)), epoch3 = File.ReadAllBytes(run.EpochCheckpoint(3));
        byte[] latest = File.ReadAllBytes(run.Latest);

        // from epoch 1's checkpoint: epochs 2 and 3 are trained again, in a continuation of their own
        var request = TinyRun.Request(null, resume: true, resumeFolder: tiny.RunFolder()) with { FromEpoch = 1 };
        Assert.Equal(0, TrainCommand.Run(request));

        string aside = Assert.Single(Directory.GetDirectories(run.Checkpoints, "superseded-*"));
        Assert.Equal(epoch2, File.ReadAllBytes(Path.Combine(aside, "epoch_0002.ckpt")));
        Assert.Equal(epoch3, File.ReadAllBytes(Path.Combine(aside, "epoch_0003.ckpt")));
        Assert.Equal(latest, File.ReadAllBytes(Path.Combine(aside, "latest.ckpt")));
        Assert.Equal<int>([1, 2, 3], run.EpochCheckpoints().Select(e => e.Epoch).ToArray());
        Assert.Equal(12, Checkpoint.Read(run.Latest).State.Iteration);
        Assert.Contains("moved to", File.ReadAllText(run.LogFile));
    }

    [Fact]
    public void ASecondTrainerOnTheSameRunIsRefusedWhileTheFirstHoldsTheLock()
    {
        using var tiny = new TinyRun();
        string latest = TrainOneEpoch(tiny);
        CliRunner.Result? second = null;
        int code = TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: tiny.RunFolder()), s =>
        {
            if (second is null)
            {
                // the first trainer waits here, holding runs/tiny/.lock, while another process tries the same run
                byte[] before = File.ReadAllBytes(latest);
                second = CliRunner.Run(tiny.Folder, "train", "--resume", tiny.RunFolder());
                Assert.Equal(before, File.ReadAllBytes(latest));
            }
        });
        Assert.Equal(0, code);
        Assert.NotNull(second);
        Assert.True(second.ExitCode == 2, second.All);
        Assert.Contains($"run folder {tiny.RunFolder()} is in use by another cyclegan train", second.Stderr);

        // the lock goes with the trainer that held it
        using (new RunDirectory(tiny.RunFolder()).Lock())
        {
        }
    }

    [Fact]
    public void AnExistingRunIsNeitherOverwrittenNorResumedUnasked()
    {
        using var tiny = new TinyRun();
        string latest = TrainOneEpoch(tiny);
        byte[] before = File.ReadAllBytes(latest);

        var ex = Assert.Throws<IOException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath)));
        Assert.Contains("--resume", ex.Message);
        Assert.Contains("--force", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(latest));

        // --force starts over, keeping the old folder under another name
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, force: true, stopAfterEpoch: 1)));
        string moved = Assert.Single(Directory.GetDirectories(tiny.RunsDir, "tiny.replaced-*"));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(moved, "checkpoints", "latest.ckpt")));
    }

    [Fact]
    public void ResumingWithAnotherArchitectureNamesTheSettingAndChangesNothing()
    {
        using var tiny = new TinyRun();
        string latest = TrainOneEpoch(tiny);
        byte[] before = File.ReadAllBytes(latest);

        var ex = Assert.Throws<ConfigException>(() =>
            TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: tiny.RunFolder(), set: ["model.ngf=8"])));
        Assert.Contains("model.ngf 4 in the checkpoint, 8 now", ex.Message);
        Assert.Equal(before, File.ReadAllBytes(latest));
    }

    [Fact]
    public void ACheckpointOfAnotherArchitectureIsRefusedWithTheKeysAndShapes()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, stopAfterEpoch: 1)));
        CheckpointFile file = Checkpoint.Read(Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt"));
        CycleGanConfig wider = file.Config with { Model = file.Config.Model with { Ngf = 6 } };
        using var model = new CycleGanModel(wider, TorchSharp.torch.CPU, new SeededRandom(1));
        var ex = Assert.Throws<CheckpointMismatchException>(() => TrainingCheckpoint.Restore(file, model));
        Assert.Contains("network G_A", ex.Message);
        Assert.Contains("model.1.weight: stored [4, 3, 7, 7], network [6, 3, 7, 7]", ex.Message);
        Assert.DoesNotContain("network D_A", ex.Message, StringComparison.Ordinal); // ndf unchanged: D_A fits
    }

    [Fact]
    public void ATruncatedCheckpointIsRefusedByNameAndLeftAsItIs()
    {
        using var tiny = new TinyRun();
        string latest = TrainOneEpoch(tiny);
        byte[] whole = File.ReadAllBytes(latest);
        byte[] cut = whole[..(whole.Length * 2 / 3)];
        File.WriteAllBytes(latest, cut);

        var ex = Assert.Throws<InvalidDataException>(() => TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: tiny.RunFolder())));
        Assert.Contains(latest, ex.Message);
        Assert.Contains("truncated or corrupted", ex.Message);
        Assert.Equal(cut, File.ReadAllBytes(latest));
    }

    [Fact]
    public void ResumingAMissingRunListsTheRunsThatExist()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "present", stopAfterEpoch: 1)));
        var ex = Assert.Throws<DirectoryNotFoundException>(() =>
            TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: Path.Combine(tiny.RunsDir, "absent"))));
        Assert.Contains("absent does not exist", ex.Message);
        Assert.Contains("present", ex.Message);
    }

    [Fact]
    public void AnUnwritableRunFolderIsAClearError()
    {
        using var tiny = new TinyRun();
        string blocker = Path.Combine(tiny.Folder, "not-a-folder");
        File.WriteAllText(blocker, "a file where the runs folder should be");
        var ex = Assert.Throws<IOException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: [$"output.runs_dir={blocker}"])));
        Assert.Contains("not writable", ex.Message);
        Assert.Equal("a file where the runs folder should be", File.ReadAllText(blocker));
    }

    [Fact]
    public void ADivergingLossStopsTheRunNamingTheLossAndKeepsTheLastCheckpoint()
    {
        using var tiny = new TinyRun();
        string latest = TrainOneEpoch(tiny, "model.norm=none");

        // A valid checkpoint whose G_A weights are 1e30 times too large: its next forward pass overflows float32.
        CheckpointFile file = Checkpoint.Read(latest);
        using (var model = new CycleGanModel(file.Config, TorchSharp.torch.CPU, new SeededRandom(1)))
        {
            TrainingCheckpoint.Restore(file, model);
            using (TorchSharp.torch.no_grad())
            {
                foreach (var p in model.GA.parameters())
                {
                    p.mul_(Scalars.Of(1e30));
                }
            }

            TrainingCheckpoint.Save(latest, file.Config, file.State, model);
        }

        byte[] before = File.ReadAllBytes(latest);
        Assert.Equal(1, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: tiny.RunFolder())));
        string log = File.ReadAllText(Path.Combine(tiny.RunFolder(), "train.log"));
        Assert.Matches(@"loss \w+ is (NaN|-?∞|-?Infinity) at epoch 2, iteration 5; training stopped", log);
        Assert.Equal(before, File.ReadAllBytes(latest));
    }

    [Fact]
    public void NetworksThatOverflowFromTheStartStopAtTheFirstIterationWithoutACheckpoint()
    {
        using var tiny = new TinyRun();
        // no normalisation and weights drawn with a standard deviation of 10 through 22 convolutions: activations pass
        // float32's range by far (with 6 blocks they came near it, and whether a sum overflowed depended on the kernels)
        int code = TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["model.netG=resnet_9blocks", "model.norm=none", "model.ngf=16", "model.ndf=16", "model.init_gain=10"]));
        Assert.Equal(1, code);
        Assert.Matches(@"loss \w+ is NaN at epoch 1, iteration 1;", File.ReadAllText(Path.Combine(tiny.RunFolder(), "train.log")));
        Assert.False(File.Exists(Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt")));
    }

    [Fact]
    public void TheCommandLineExitsWithTwoAndAMessageForABadConfigValue()
    {
        using var tiny = new TinyRun();
        var result = CliRunner.Run(tiny.Folder, "train", "--config", tiny.ConfigPath, "--set", "train.lr=5");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("train.lr: 5 is out of range", result.Stderr);
        Assert.False(Directory.Exists(tiny.RunFolder()), "nothing is created for a refused config");
    }

    /// <summary>Trains the tiny run for one epoch and returns its latest checkpoint.</summary>
    private static string TrainOneEpoch(TinyRun tiny, params string[] set)
    {
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: set, stopAfterEpoch: 1)));
        return Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt");
    }
}

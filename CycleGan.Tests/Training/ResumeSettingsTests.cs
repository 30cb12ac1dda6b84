using CycleGan.App.Cli;
using CycleGan.App.Config;
using CycleGan.App.Training;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Training;

/// <summary>
/// A setting changed on resume either takes effect or is refused by name. Each effect test continues one
/// checkpoint twice, once unchanged and once with the setting changed, and the two continuations must differ.
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class ResumeSettingsTests(ResumeSettingsTests.OneEpochRun run) : IClassFixture<ResumeSettingsTests.OneEpochRun>
{
    [Theory]
    [InlineData("train.beta1=0.9", "net/G_A")] // Adam's betas: the restored state used to bring back its own
    [InlineData("train.beta2=0.9", "net/G_A")]
    [InlineData("train.lr=0.001", "net/G_A")]
    [InlineData("train.lambda_A=1", "net/G_A")]
    [InlineData("train.lambda_identity=0", "net/G_A")]
    [InlineData("train.gan_mode=vanilla", "net/D_A")]
    [InlineData("train.pool_size=1", "pool/B")] // smaller than the pool the checkpoint holds
    [InlineData("train.pool_size=0", "net/D_A")]
    [InlineData("train.n_epochs=2", "net/G_A")] // the schedule: epoch 2 at the full rate instead of half
    [InlineData("train.lr_policy=step", "net/G_A")]
    public void ATrainingSettingChangedOnResumeChangesTheContinuation(string setting, string section)
    {
        var (same, changed) = run.Resume(setting);
        Assert.False(same[section].AsSpan().SequenceEqual(changed[section]), $"{setting}: section {section} is the same as without the change");
    }

    [Fact]
    public void TheOptimizersUseTheResumedRunsBetasAndRate()
    {
        CheckpointFile file = Checkpoint.Read(Path.Combine(run.CopyOfFirstEpoch(), "checkpoints", "latest.ckpt"));
        Assert.Equal(0.5, file.Config.Train.Beta1);
        CycleGanConfig changed = file.Config with { Train = file.Config.Train with { Beta1 = 0.9, Beta2 = 0.95, Lr = 0.003 } };
        using var model = new CycleGanModel(changed, TorchSharp.torch.CPU, new SeededRandom(1));
        TrainingCheckpoint.Restore(file, model);
        foreach (var group in model.OptimizerG.ParamGroups.Concat(model.OptimizerD.ParamGroups))
        {
            Assert.Equal((0.9, 0.95), ((TorchSharp.torch.optim.IBetas)group).Betas);
            Assert.Equal(0.003, group.LearningRate);
        }
    }

    [Fact]
    public void OutputFrequenciesChangedOnResumeTakeEffect()
    {
        // display_freq 3 in the config: epoch 2 (iterations 5 to 8) gets sheets at 6 and 8; with 1, one per iteration
        var (same, changed) = run.Resume("output.display_freq=1");
        Assert.Equal(2, Directory.GetFiles(Path.Combine(same.Folder, "samples"), "epoch_0002_*.png").Length);
        Assert.Equal(4, Directory.GetFiles(Path.Combine(changed.Folder, "samples"), "epoch_0002_*.png").Length);
    }

    [Theory]
    [InlineData("seed=9", "seed 3 in the checkpoint, 9 now")]
    [InlineData("model.init_type=xavier", "model.init_type")]
    [InlineData("model.init_gain=0.5", "model.init_gain")]
    [InlineData("train.epoch_count=2", "--epoch-count")]
    [InlineData("data.direction=BtoA", "data.direction")]
    public void ASettingThatCannotChangeOnResumeIsRefusedByName(string setting, string expected)
    {
        string folder = run.CopyOfFirstEpoch();
        string latest = Path.Combine(folder, "checkpoints", "latest.ckpt");
        byte[] before = File.ReadAllBytes(latest);
        var ex = Assert.Throws<ConfigException>(() => TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: folder, set: [setting])));
        Assert.Contains(expected, ex.Message);
        Assert.Equal(before, File.ReadAllBytes(latest));
    }

    private static Sections Read(string run) => new(run, SectionFile.Read(Path.Combine(run, "checkpoints", "latest.ckpt")));

    private static void Copy(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>One epoch of a tiny run, and its unchanged continuation for a second epoch; each test continues a
    /// copy of the first epoch with one setting changed.</summary>
    public sealed class OneEpochRun : IDisposable
    {
        private readonly TinyRun tiny = new();
        private readonly Sections same;
        private int copies;

        public OneEpochRun()
        {
            Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, stopAfterEpoch: 1)));
            string folder = tiny.RunFolder("same");
            Copy(tiny.RunFolder(), folder);
            Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: folder)));
            same = Read(folder);
        }

        /// <summary>The unchanged continuation and the one with <paramref name="setting"/>, as final checkpoints.</summary>
        public (Sections Same, Sections Changed) Resume(string setting)
        {
            string folder = CopyOfFirstEpoch();
            Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: folder, set: [setting])));
            return (same, Read(folder));
        }

        /// <summary>A new copy of the run after its first epoch.</summary>
        public string CopyOfFirstEpoch()
        {
            string folder = tiny.RunFolder($"copy{Interlocked.Increment(ref copies)}");
            Copy(tiny.RunFolder(), folder);
            return folder;
        }

        public void Dispose() => tiny.Dispose();
    }

    public sealed record Sections(string Folder, IReadOnlyDictionary<string, byte[]> All)
    {
        public byte[] this[string name] => All[name];
    }
}

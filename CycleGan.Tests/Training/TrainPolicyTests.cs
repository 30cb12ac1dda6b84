using System.Globalization;
using System.Text.RegularExpressions;
using CycleGan.App.Cli;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Training;

/// <summary>
/// Training settings the trainer acts on, against what they mean worked out here: the plateau learning-rate policy
/// from the epoch losses the run logged, data.direction=BtoA as the same training on swapped folders, and --from-epoch
/// as a continuation byte for byte equal to the run that went straight on.
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class TrainPolicyTests
{
    private const double Lr = 1e-6;

    /// <summary>Every epoch the same batch (all 7 images, serial, no flips, no image pool) at a small rate: the losses fall by far
    /// less than 1% an epoch, so the rate is cut after epoch 7 (best at epoch 1, then 6 epochs without a gain).</summary>
    private static readonly string[] Plateau =
    [
        "train.lr_policy=plateau", $"train.lr={Lr.ToString("R", CultureInfo.InvariantCulture)}", "train.n_epochs=8", "train.n_epochs_decay=0",
        "output.print_freq=1", "data.serial_batches=true", "data.no_flip=true", "train.pool_size=0", "data.batch_size=7",
    ];

    [Fact]
    public void The_plateau_policy_follows_the_epoch_losses_and_its_state_survives_resume()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "straight", set: Plateau)));
        string straight = tiny.RunFolder("straight");

        // ReduceLROnPlateau (mode min, factor 0.2, threshold 1% relative, patience 5) replayed on each epoch's mean
        // generator loss, from losses.csv (one line per iteration at print_freq 1; one iteration per epoch)
        var (names, rows) = LossHistory.Read(Path.Combine(straight, "losses.csv"));
        int[] generator = new[] { "G_A", "cycle_A", "idt_A", "G_B", "cycle_B", "idt_B" }.Select(n => names.ToList().IndexOf(n)).ToArray();
        Assert.DoesNotContain(-1, generator);
        Assert.Equal(8, rows.Count); // 8 epochs of 1 iteration
        double best = double.PositiveInfinity, factor = 1;
        int bad = 0;
        var expectedRates = new List<double>();
        for (int epoch = 0; epoch < 8; epoch++)
        {
            expectedRates.Add(Lr * factor);
            double mean = generator.Sum(i => rows[epoch].Values[i]);
            if (mean < best * 0.99)
            {
                (best, bad) = (mean, 0);
            }
            else if (++bad > 5)
            {
                (factor, bad) = (factor * 0.2, 0);
            }
        }

        Assert.True(factor < 1, "the rate was never reduced in this run: the test would not see a policy that does nothing");
        var state = ResumeTests.State(SectionFile.Read(Path.Combine(straight, "checkpoints", "latest.ckpt")));
        Assert.Equal(factor, state["plateau_factor"]!.GetValue<double>(), 12);
        Assert.Equal(best, state["plateau_best"]!.GetValue<double>(), 9);
        Assert.Equal(bad, state["plateau_bad_epochs"]!.GetValue<int>());

        // the rate each epoch trained at, as the trainer logged it
        string log = File.ReadAllText(Path.Combine(straight, "train.log"));
        var logged = Regex.Matches(log, @"Epoch (\d+)/8: learning rate (\S+)").Select(m => double.Parse(m.Groups[2].Value, CultureInfo.CurrentCulture)).ToArray();
        Assert.Equal(expectedRates.Select(r => r.ToString("G4", CultureInfo.InvariantCulture)), logged.Select(r => r.ToString("G4", CultureInfo.InvariantCulture)));

        // stopped after epoch 3 and resumed: the policy's best loss and bad-epoch count come back with the checkpoint,
        // so the reduction falls in the same epoch and the run ends byte for byte as the straight one
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "split", set: Plateau, stopAfterEpoch: 3)));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: tiny.RunFolder("split"))));
        ResumeTests.AssertSameTraining(
            SectionFile.Read(Path.Combine(straight, "checkpoints", "latest.ckpt")),
            SectionFile.Read(Path.Combine(tiny.RunFolder("split"), "checkpoints", "latest.ckpt")));
    }

    [Fact]
    public void BtoA_trains_as_AtoB_on_swapped_folders()
    {
        // serial batches, no flips and no random crops: the i-th batch pairs the i-th images of both folders, so swapping
        // the folders swaps exactly the tensors that data.direction=BtoA swaps
        string[] plain = ["data.serial_batches=true", "data.no_flip=true", "train.n_epochs=1", "train.n_epochs_decay=0"];
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "btoa", set: [.. plain, "data.direction=BtoA"])));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "atob", set: plain)));
        string swapped = Path.Combine(tiny.Folder, "swapped");
        foreach (var (from, to) in new[] { ("trainA", "trainB"), ("trainB", "trainA"), ("testA", "testB"), ("testB", "testA") })
        {
            CopyFolder(Path.Combine(tiny.DataRoot, from), Path.Combine(swapped, to));
        }

        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "swapped", set: [.. plain, $"data.dataroot={swapped}"])));
        var btoa = SectionFile.Read(Path.Combine(tiny.RunFolder("btoa"), "checkpoints", "latest.ckpt"));
        var onSwapped = SectionFile.Read(Path.Combine(tiny.RunFolder("swapped"), "checkpoints", "latest.ckpt"));
        var atob = SectionFile.Read(Path.Combine(tiny.RunFolder("atob"), "checkpoints", "latest.ckpt"));
        foreach (string net in new[] { "net/G_A", "net/G_B", "net/D_A", "net/D_B" })
        {
            Assert.True(btoa[net].AsSpan().SequenceEqual(onSwapped[net]), $"{net}: BtoA differs from AtoB on swapped folders");
        }

        Assert.False(btoa["net/G_A"].AsSpan().SequenceEqual(atob["net/G_A"]), "BtoA trained as AtoB");
    }

    [Fact]
    public void From_epoch_continues_exactly_as_the_run_went_on()
    {
        using var tiny = new TinyRun();
        string[] set = ["train.n_epochs=3", "train.n_epochs_decay=0", "output.keep_last=5"];
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: set)));
        string run = tiny.RunFolder();
        var straight = SectionFile.Read(Path.Combine(run, "checkpoints", "latest.ckpt"));
        var afterOne = SectionFile.Read(Path.Combine(run, "checkpoints", "epoch_0001.ckpt"));

        // every checkpoint of a run resumes exactly, so the final state alone would not show where the run went on
        // from: the iterations it ran say that (epochs 2 and 3: iterations 5 to 12)
        var iterations = new List<long>();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: run) with { FromEpoch = 1 }, s => iterations.Add(s.Iteration), CancellationToken.None));
        Assert.Equal(Enumerable.Range(5, 8).Select(i => (long)i), iterations);
        var again = SectionFile.Read(Path.Combine(run, "checkpoints", "latest.ckpt"));
        ResumeTests.AssertSameTraining(straight, again);
        Assert.False(afterOne["net/G_A"].AsSpan().SequenceEqual(again["net/G_A"]), "epochs 2 and 3 changed nothing");
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using CycleGan.App.Cli;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Training;

/// <summary>
/// The resume guarantee: on CPU with a fixed seed, training straight through and training with an interruption plus
/// --resume end with bitwise-identical networks, optimizer moments, image pools and random states.
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class ResumeTests
{
    [Fact]
    public void TwoEpochsStraightEqualOneEpochResumeOneEpoch()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "straight")));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "split", stopAfterEpoch: 1)));
        string split = tiny.RunFolder("split");
        var afterOne = SectionFile.Read(Path.Combine(split, "checkpoints", "latest.ckpt"));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: split)));

        var straight = SectionFile.Read(Path.Combine(tiny.RunFolder("straight"), "checkpoints", "latest.ckpt"));
        var resumed = SectionFile.Read(Path.Combine(split, "checkpoints", "latest.ckpt"));
        AssertSameTraining(straight, resumed);

        // and the second epoch did change the weights (the comparison above is not between two untouched networks)
        Assert.False(afterOne["net/G_A"].AsSpan().SequenceEqual(resumed["net/G_A"]));
        Assert.Equal(3, State(resumed)["epoch"]!.GetValue<int>());
    }

    [Fact]
    public void InterruptedMidEpochResumesExactly() => InterruptAtSixAndResume([]);

    /// <summary>
    /// With dropout on, every iteration draws its masks from libtorch's generator, so the continuation matches only if the
    /// checkpoint's random state is restored: the trainer seeds the generator and initialises the networks (which draws
    /// from it) before restoring, so without the restore the resumed masks would differ.
    /// </summary>
    [Fact]
    public void InterruptedMidEpochResumesExactlyWithDropout() => InterruptAtSixAndResume(["model.no_dropout=false"]);

    private static void InterruptAtSixAndResume(string[] set)
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "straight", set: set)));

        // 7 images in batches of 2: 4 iterations per epoch; stop after the 6th, in the middle of epoch 2
        using var stop = new CancellationTokenSource();
        int code = TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "cut", set: set), s =>
        {
            if (s.Iteration == 6)
            {
                stop.Cancel();
            }
        }, stop.Token);
        Assert.Equal(TrainCommand.Interrupted, code);
        string cut = tiny.RunFolder("cut");
        var atStop = State(SectionFile.Read(Path.Combine(cut, "checkpoints", "latest.ckpt")));
        Assert.Equal(6, atStop["iteration"]!.GetValue<long>());
        Assert.Equal(2, atStop["epoch"]!.GetValue<int>());
        Assert.Equal(2, atStop["epoch_iteration"]!.GetValue<int>());

        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: cut)));
        AssertSameTraining(
            SectionFile.Read(Path.Combine(tiny.RunFolder("straight"), "checkpoints", "latest.ckpt")),
            SectionFile.Read(Path.Combine(cut, "checkpoints", "latest.ckpt")));
    }

    /// <summary>Every tensor section byte for byte, and the training state but for the wall-clock seconds.</summary>
    internal static void AssertSameTraining(IReadOnlyDictionary<string, byte[]> expected, IReadOnlyDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (string section in expected.Keys.Where(k => k is not "state" and not "config"))
        {
            Assert.True(expected[section].AsSpan().SequenceEqual(actual[section]), $"section {section} differs");
        }

        JsonObject a = State(expected), b = State(actual);
        a.Remove("train_seconds");
        b.Remove("train_seconds");
        Assert.Equal(a.ToJsonString(), b.ToJsonString());
    }

    internal static JsonObject State(IReadOnlyDictionary<string, byte[]> sections) =>
        JsonNode.Parse(Encoding.UTF8.GetString(sections["state"]))!.AsObject();
}

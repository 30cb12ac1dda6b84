using CycleGan.App.Cli;
using CycleGan.App.Runs;
using CycleGan.Tests.Layers;

namespace CycleGan.Tests.Training;

/// <summary>train.precision bf16: recorded in the checkpoint, resumed exactly, and changeable on resume.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class Bf16TrainingTests
{
    private static readonly string[] Bf16 = ["train.precision=bf16"];

    [Bf16Fact]
    public void A_bf16_run_records_its_precision_resumes_exactly_and_precision_may_change_on_resume()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "straight", set: Bf16)));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "split", set: Bf16, stopAfterEpoch: 1)));
        string split = tiny.RunFolder("split");
        Assert.Equal("bf16", Checkpoint.Read(Latest(split)).Config.Train.Precision);
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: split)));

        // an fp32 run stopped after its first epoch, continued once in fp32 and once (a copy) in bf16
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "fp32", stopAfterEpoch: 1)));
        string fp32 = tiny.RunFolder("fp32"), switched = tiny.RunFolder("switched");
        Directory.CreateDirectory(Path.Combine(switched, "checkpoints"));
        File.Copy(Latest(fp32), Latest(switched));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: fp32)));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(null, resume: true, resumeFolder: switched, set: Bf16)));

        var straight = Checkpoint.Read(Latest(tiny.RunFolder("straight")));
        var resumed = Checkpoint.Read(Latest(split));
        var inFp32 = Checkpoint.Read(Latest(fp32));
        var inBf16 = Checkpoint.Read(Latest(switched));
        Assert.Equal(["bf16", "bf16", "fp32", "bf16"], new[] { straight, resumed, inFp32, inBf16 }.Select(c => c.Config.Train.Precision));
        Assert.Equal(3, straight.State.Epoch);
        foreach (string section in straight.Sections.Keys.Where(k => k is not "state" and not "config"))
        {
            Assert.True(straight.Sections[section].AsSpan().SequenceEqual(resumed.Sections[section]), $"section {section} differs after the resume");
            // float32 master weights and optimiser state: the same bytes per tensor as an fp32 run's
            Assert.Equal(inFp32.Sections[section].Length, straight.Sections[section].Length);
        }

        // the changed setting had its effect: the same second epoch from the same checkpoint trained other weights in bf16
        Assert.False(inFp32.Sections["net/G_A"].AsSpan().SequenceEqual(inBf16.Sections["net/G_A"]), "the bf16 continuation ran in fp32 all the same");
    }

    private static string Latest(string run) => Path.Combine(run, "checkpoints", "latest.ckpt");
}

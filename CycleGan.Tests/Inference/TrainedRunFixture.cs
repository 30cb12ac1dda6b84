using CycleGan.App.Cli;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Inference;

/// <summary>One tiny trained run (2 epochs, seconds) that the inference and export tests share, plus a 1-channel one;
/// made once for the whole <see cref="GlobalRandomCollection"/> (a collection fixture), not once per class.</summary>
public sealed class TrainedRunFixture : IDisposable
{
    public TrainedRunFixture()
    {
        Tiny = new TinyRun();
        if (TrainCommand.Run(TinyRun.Request(Tiny.ConfigPath)) != 0)
        {
            throw new InvalidOperationException("the fixture's training run failed");
        }

        string[] gray = ["data.input_nc=1", "data.output_nc=1"];
        if (TrainCommand.Run(TinyRun.Request(Tiny.ConfigPath, name: "gray", set: gray, stopAfterEpoch: 1)) != 0)
        {
            throw new InvalidOperationException("the fixture's 1-channel training run failed");
        }
    }

    public TinyRun Tiny { get; }

    public string Run => Tiny.RunFolder();

    public string GrayRun => Tiny.RunFolder("gray");

    public void Dispose() => Tiny.Dispose();
}

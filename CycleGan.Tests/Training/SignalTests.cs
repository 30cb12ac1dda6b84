using System.Diagnostics;
using CycleGan.App.Cli;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Platform;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Training;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM: the first makes the trainer finish its iteration, write latest.ckpt and exit with 130;
/// a second ends the process at once, leaving the checkpoints as they were.
/// </summary>
public sealed class SignalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [UnixTheory]
    [InlineData(PosixSignals.Terminate, "SIGTERM")]
    [InlineData(PosixSignals.Interrupt, "Ctrl+C")]
    public async Task TheFirstSignalWritesAMidEpochCheckpointAndExitsWith130(int signal, string named)
    {
        using var tiny = new TinyRun();
        // latest.ckpt is otherwise written only at epoch ends, and those store epoch_iteration 0
        using var process = CliRunner.Start(tiny.Folder, "train", "--config", tiny.ConfigPath, "--set", "train.n_epochs=500", "--set", "output.save_latest_freq=100000");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        string log = Path.Combine(tiny.RunFolder(), "train.log"), latest = Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt");
        await Until(() => ReadShared(log, 0).Contains("End of epoch 1", StringComparison.Ordinal), process, stderr, "the end of epoch 1");
        Assert.Equal(0, Checkpoint.Read(latest).State.EpochIteration);

        PosixSignals.Send(process.Id, signal);
        Assert.True(process.WaitForExit(Patience), $"the trainer did not stop after {named}");
        Assert.Equal(TrainCommand.Interrupted, process.ExitCode);
        Assert.Contains($"{named}: finishing the current iteration and writing a checkpoint", await stdout + await stderr);

        // only the signal path writes a checkpoint in the middle of an epoch here
        var state = Checkpoint.Read(latest).State;
        Assert.True(state.EpochIteration > 0, $"latest.ckpt is the epoch-end one (epoch {state.Epoch}, iteration {state.Iteration})");
        Assert.True(state.Epoch >= 2 && state.Iteration > 4, $"latest.ckpt at epoch {state.Epoch}, iteration {state.Iteration}");
        Assert.Contains($"Interrupted: checkpoint {latest} written at epoch {state.Epoch}, iteration {state.Iteration}", ReadShared(log, 0));
    }

    [UnixTheory]
    [InlineData(PosixSignals.Terminate, "SIGTERM")]
    [InlineData(PosixSignals.Interrupt, "Ctrl+C")]
    public async Task ASecondSignalEndsTheProcessAtOnceAndLeavesTheCheckpointsAsTheyWere(int signal, string named)
    {
        using var tiny = new TinyRun();
        var first = CliRunner.Run(tiny.Folder, "train", "--config", tiny.ConfigPath, "--set", "train.n_epochs=500", "--stop-after-epoch", "1");
        Assert.True(first.ExitCode == 0, first.All);
        string log = Path.Combine(tiny.RunFolder(), "train.log");
        string latest = Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt"), epoch1 = Path.Combine(tiny.RunFolder(), "checkpoints", "epoch_0001.ckpt");
        byte[] latestBefore = File.ReadAllBytes(latest), epoch1Before = File.ReadAllBytes(epoch1);
        int offset = ReadShared(log, 0).Length;

        // The first signal goes as soon as the handlers are in place (the log's first line), the second as soon as the
        // first is acknowledged: the resumed trainer cannot have opened the data, built and restored the networks and
        // finished an iteration (of 64-pixel crops, for a margin) in between.
        using var process = CliRunner.Start(tiny.Folder, "train", "--resume", tiny.RunFolder(), "--set", "data.load_size=64", "--set", "data.crop_size=64");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Until(() => ReadShared(log, offset).Contains("cyclegan train: run", StringComparison.Ordinal), process, stderr, "the resumed run's first log line");
        PosixSignals.Send(process.Id, signal);
        await Until(() => ReadShared(log, offset).Contains($"{named}: finishing the current iteration", StringComparison.Ordinal), process, stderr, $"the first {named} acknowledged");
        PosixSignals.Send(process.Id, signal);

        Assert.True(process.WaitForExit(Patience), $"the trainer did not end after a second {named}");
        string output = await stdout + await stderr;
        // ended by the signal itself: 128 + its number (for SIGINT that is 130, as for a clean stop; the log tells them apart)
        Assert.True(process.ExitCode == 128 + signal, $"exit code {process.ExitCode}: {output}");
        string session = ReadShared(log, offset);
        Assert.DoesNotContain("Interrupted: checkpoint", session, StringComparison.Ordinal);
        Assert.DoesNotContain("Saved checkpoint", session, StringComparison.Ordinal);
        Assert.Equal(latestBefore, File.ReadAllBytes(latest));
        Assert.Equal(epoch1Before, File.ReadAllBytes(epoch1));
    }

    private static async Task Until(Func<bool> condition, Process process, Task<string> stderr, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited)
            {
                Assert.Fail($"the trainer ended (exit {process.ExitCode}) before {what}: {await stderr}");
            }

            Assert.True(clock.Elapsed < Patience, $"no {what} within {Patience.TotalMinutes} minutes");
            await Task.Delay(10);
        }
    }

    /// <summary>The log from <paramref name="offset"/> on (0: all of it), read beside the trainer that writes it.</summary>
    private static string ReadShared(string path, int offset)
    {
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        string text = new StreamReader(stream).ReadToEnd();
        return text.Length > offset ? text[offset..] : string.Empty;
    }
}

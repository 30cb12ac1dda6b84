using System.Diagnostics;
using CycleGan.App.Cli;
using CycleGan.App.Training.Checkpoints;
using CycleGan.Tests.Cli;
using Xunit;

namespace CycleGan.Tests.Training;

/// <summary>SIGTERM (as Ctrl+C) makes the trainer finish its iteration, write a checkpoint and exit with 130.</summary>
public sealed class SignalTests
{
    [Fact]
    public async Task SigtermWritesACheckpointAndExitsWith130()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // POSIX signals
        }

        using var tiny = new TinyRun();
        using var process = CliRunner.Start(tiny.Folder, "train", "--config", tiny.ConfigPath, "--set", "train.n_epochs=500", "--set", "output.save_latest_freq=100000");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        string log = Path.Combine(tiny.RunFolder(), "train.log");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(log) && ReadShared(log).Contains("End of epoch 2", StringComparison.Ordinal)))
        {
            if (process.HasExited)
            {
                Assert.Fail("the trainer ended early: " + await stderr);
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "no progress within 2 minutes");
            await Task.Delay(50);
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString()]) { RedirectStandardError = true, UseShellExecute = false })!)
        {
            string why = await kill.StandardError.ReadToEndAsync();
            await kill.WaitForExitAsync();
            Assert.True(kill.ExitCode == 0, $"kill -TERM {process.Id}: exit {kill.ExitCode} {why}");
        }

        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "the trainer did not stop after SIGTERM");
        Assert.Equal(TrainCommand.Interrupted, process.ExitCode);
        Assert.Contains("SIGTERM", await stdout + await stderr);
        var checkpoint = Checkpoint.Read(Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt"));
        Assert.True(checkpoint.State.Iteration >= 8, $"checkpoint at iteration {checkpoint.State.Iteration}");
        Assert.Contains("Interrupted: checkpoint", ReadShared(log));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}

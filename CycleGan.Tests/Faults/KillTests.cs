using System.Diagnostics;
using CycleGan.Tests.Cli;
using CycleGan.Tests.Platform;
using CycleGan.Tests.Training;
using Xunit.Abstractions;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Faults;

/// <summary>
/// kill -9 at random moments, 20 times on one run, with a checkpoint written every iteration so that many kills land
/// inside a checkpoint write: every time, the latest checkpoint loads, and the next --resume carries on from it.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    private const int Trials = 20;

    /// <summary>A wait that only a hung trainer reaches.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(10);

    [UnixFact]
    public async Task TheLatestCheckpointSurvivesKill9AtAnyMoment()
    {
        using var tiny = new TinyRun();
        string run = tiny.RunFolder();
        string latest = Path.Combine(run, "checkpoints", "latest.ckpt");
        string[] settings = ["--set", "output.save_latest_freq=1", "--set", "train.n_epochs=200", "--set", "output.print_freq=1000"];
        var random = new Random(20261125);
        long lastIteration = 0;
        int duringWrite = 0, withCheckpoint = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            // until a first checkpoint exists (a kill can land during start-up), each trial starts the run anew
            string[] args = File.Exists(latest) ? ["train", "--resume", run] : ["train", "--config", tiny.ConfigPath, "--force", .. settings];
            using var process = Start(tiny.Folder, args);
            if (trial % 2 == 0)
            {
                // start-up (libtorch, self-check) takes about a second; kills fall before, during and after it
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 3000)));
            }
            else
            {
                // aimed: after a random number of further checkpoints, the moment a temporary checkpoint file appears
                await WriteInProgress(run, random.Next(0, 5), process);
            }

            if (process.HasExited)
            {
                Assert.Fail($"trial {trial} ({string.Join(' ', args)}): the trainer ended by itself with {process.ExitCode}: " +
                            await process.StandardError.ReadToEndAsync() + string.Join('\n', Lines(process)));
            }

            process.Kill();
            await process.WaitForExitAsync();

            if (TempFile(Path.Combine(run, "checkpoints")) is not null)
            {
                duringWrite++; // the kill interrupted a checkpoint write: its temporary file is left behind
            }

            if (File.Exists(latest))
            {
                var checkpoint = Checkpoint.Read(latest); // throws if torn
                Assert.True(checkpoint.State.Iteration >= lastIteration, $"trial {trial}: went back from {lastIteration} to {checkpoint.State.Iteration}");
                lastIteration = checkpoint.State.Iteration;
                withCheckpoint++;
            }
        }

        // and the run still finishes its epoch normally from there
        var final = Checkpoint.Read(latest);
        using (var finish = Start(tiny.Folder, ["train", "--resume", run, "--stop-after-epoch", final.State.Epoch.ToString()]))
        {
            string err = await finish.StandardError.ReadToEndAsync();
            await finish.WaitForExitAsync();
            Assert.True(finish.ExitCode == 0, err);
        }

        var after = Checkpoint.Read(latest);
        Assert.Equal(final.State.Epoch + 1, after.State.Epoch);
        Assert.True(duringWrite > 0, "no kill landed in a checkpoint write; the test did not test what it claims");
        output.WriteLine($"{Trials} kills: {withCheckpoint} left a checkpoint to check, {duringWrite} interrupted a checkpoint write; " +
                         $"last checkpoint at iteration {lastIteration}; the final resume ended epoch {final.State.Epoch} normally");
    }

    /// <summary>Returns while a checkpoint write is under way, after letting <paramref name="skip"/> writes pass; fails
    /// if the trainer ends first. The bound is for a hang only: the trainer writes a checkpoint every iteration, so a
    /// slow machine only makes the wait longer.</summary>
    private static async Task WriteInProgress(string run, int skip, Process trainer)
    {
        string folder = Path.Combine(run, "checkpoints");
        var hang = Stopwatch.StartNew();
        string? last = null;
        while (hang.Elapsed < Hang)
        {
            string? temp = TempFile(folder);
            if (temp is not null && temp != last)
            {
                if (skip-- == 0)
                {
                    return;
                }

                last = temp;
            }

            if (trainer.HasExited)
            {
                return; // the caller reports how it ended
            }

            await Task.Yield();
        }

        Assert.Fail($"no checkpoint write was seen within {Hang.TotalMinutes} minutes: the trainer hangs");
    }

    /// <summary>A temporary checkpoint file in the folder, if any. The folder may vanish while it is listed: a trainer
    /// started with --force moves the previous run folder aside.</summary>
    private static string? TempFile(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder, ".*.tmp").FirstOrDefault();
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static Process Start(string folder, string[] args)
    {
        var process = CliRunner.Start(folder, args);
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            lock (lines)
            {
                lines.Add(e.Data ?? string.Empty);
            }
        };
        Outputs.AddOrUpdate(process, lines);
        process.BeginOutputReadLine();
        return process;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, List<string>> Outputs = [];

    private static string[] Lines(Process process)
    {
        if (!Outputs.TryGetValue(process, out var lines))
        {
            return [];
        }

        lock (lines)
        {
            return [.. lines];
        }
    }
}

using System.Diagnostics;
using CycleGan.App.Cli;
using CycleGan.Tests.Platform;
using CycleGan.Tests.Training;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Faults;

/// <summary>
/// A checkpoint write that runs out of space (a file-size limit, `ulimit -f`, stands in for a full disk: writes past
/// it fail with EFBIG as they would with ENOSPC): the run stops with a message saying which write failed and that the
/// previous checkpoint is intact, and it is.
/// </summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class DiskFullTests
{
    [UnixFact]
    public async Task AFailedCheckpointWriteLeavesThePreviousOneIntactAndSaysSo()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, stopAfterEpoch: 1)));
        string latest = Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt");
        byte[] before = File.ReadAllBytes(latest);

        // files may not grow past half a checkpoint
        var (exitCode, all) = await RunUnderFileSizeLimit(tiny, before.Length / 2 / 1024, "train", "--resume", tiny.RunFolder());

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"writing checkpoint {latest} failed", all);
        Assert.Contains("the previous latest.ckpt is intact", all);
        Assert.Equal(before, File.ReadAllBytes(latest));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(latest)!, ".*.tmp"));
        Checkpoint.Read(latest);
    }

    [UnixFact]
    public async Task AFailedFirstCheckpointAdvisesOnlyWhatWorks()
    {
        using var tiny = new TinyRun();
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, name: "sized", stopAfterEpoch: 1)));
        long size = new FileInfo(Path.Combine(tiny.RunFolder("sized"), "checkpoints", "latest.ckpt")).Length;

        // a new run whose first checkpoint cannot be written: there is nothing to --resume
        var (exitCode, all) = await RunUnderFileSizeLimit(tiny, size / 2 / 1024, "train", "--config", tiny.ConfigPath, "--stop-after-epoch", "1");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("writing checkpoint", all);
        Assert.DoesNotContain("--resume", all);
        Assert.Contains("start it again with the same cyclegan train command", all);
        Assert.False(File.Exists(Path.Combine(tiny.RunFolder(), "checkpoints", "latest.ckpt")));

        // and the advice works
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, stopAfterEpoch: 1)));
    }

    /// <summary>Runs cyclegan with files limited to <paramref name="blocks"/> KiB (`ulimit -f`; SIGXFSZ ignored, so a
    /// write past it fails with an error as on a full disk); its exit code and output.</summary>
    private static async Task<(int ExitCode, string Output)> RunUnderFileSizeLimit(TinyRun tiny, long blocks, params string[] args)
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "cyclegan");
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = tiny.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-c", $"trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" \"$@\"", exe }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["CI"] = "true";
        // the runtime's W^X double mapping sizes a memory file at start-up, which the file-size limit would refuse
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + stderr);
    }
}

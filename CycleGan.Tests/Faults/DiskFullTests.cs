using System.Diagnostics;
using CycleGan.App.Cli;
using CycleGan.Tests.Platform;
using CycleGan.Tests.Training;
using Xunit;
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

        // files may not grow past half a checkpoint; SIGXFSZ is ignored so the write fails with an error instead
        long blocks = before.Length / 2 / 1024;
        string exe = Path.Combine(AppContext.BaseDirectory, "cyclegan");
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = tiny.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "-c", $"trap '' XFSZ; ulimit -f {blocks}; exec \"$0\" train --resume \"$1\"", exe, tiny.RunFolder() })
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
        string all = await stdout + stderr;

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains($"writing checkpoint {latest} failed", all);
        Assert.Contains("the previous latest.ckpt is intact", all);
        Assert.Equal(before, File.ReadAllBytes(latest));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(latest)!, ".*.tmp"));
        Checkpoint.Read(latest);
    }
}

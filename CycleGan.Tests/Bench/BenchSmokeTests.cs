using CycleGan.Tests.Cli;
using CycleGan.Tests.Data;
using CycleGan.Tests.Training;

namespace CycleGan.Tests.Bench;

/// <summary>
/// Every benchmark of CycleGan.Bench runs once at a tiny size (16 or 32 px, ngf 2, one round), as the cyclegan-bench
/// executable, so that none can rot unnoticed. Their figures are not looked at here: a timed test on a shared
/// machine proves nothing (BENCHMARKS.md has the measured ones).
/// </summary>
public sealed class BenchSmokeTests
{
    public static TheoryData<string[]> Commands => new()
    {
        new[] { "bench-train", "--sizes", "32:2:1", "--iterations", "1", "--rounds", "1", "--memory-iterations", "0", "--num-threads", "0" },
        new[] { "bench-onednn", "--size", "32", "--ngf", "2", "--rounds", "1", "--iterations", "1" },
        new[] { "bench-onnx", "--size", "16", "--ngf", "2", "--batch", "1", "--rounds", "1" },
        new[] { "bench-data", "--images", "2", "--workers", "1", "--iterations", "1", "--device", "cpu" },
        new[] { "bench-profile", "--size", "32", "--ngf", "2", "--rounds", "1" },
        new[] { "bench-translate", "--images", "1", "--size", "16", "--batch", "1", "--rounds", "1", "--device", "cpu", "--config", "TINY" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void RunsToTheEndAtATinySize(string[] args)
    {
        using var tiny = new TinyRun();
        using var dir = new TempDirectory();
        string[] resolved = args.Select(a => a == "TINY" ? tiny.ConfigPath : a).ToArray();
        var result = CliRunner.RunProgram("cyclegan-bench", dir.Path, TimeSpan.FromMinutes(15), resolved);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)} exited {result.ExitCode}: {result.All}");
        Assert.NotEmpty(result.Stdout.Trim());
    }
}

using System.CommandLine;
using CycleGan.App.Cli;

namespace CycleGan.Bench;

/// <summary>The `cyclegan-bench` command line: one benchmark per file in this folder, run like the app's commands.</summary>
public static class BenchApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Benchmarks of the CycleGan app: each measures a ratio within one process (see BENCHMARKS.md).")
        {
            BenchDataCommand.Create(),
            BenchOneDnnCommand.Create(),
            BenchTranslateCommand.Create(),
            BenchTrainCommand.Create(),
            BenchOnnxCommand.Create(),
            BenchProfileCommand.Create(),
        };
        OptionRanges.Apply(root, Ranges);
        return root;
    }

    /// <summary>The allowed range of every whole-number option of the benchmarks (see <see cref="OptionRanges"/>).</summary>
    public static readonly IReadOnlyDictionary<string, (long Min, long Max)> Ranges = new Dictionary<string, (long, long)>(StringComparer.Ordinal)
    {
        ["bench-data --images"] = (1, int.MaxValue),
        ["bench-data --workers"] = (0, 64),
        ["bench-data --iterations"] = (1, int.MaxValue),
        ["bench-onednn --size"] = (8, 8192),
        ["bench-onednn --ngf"] = (1, 1024),
        ["bench-onednn --rounds"] = (1, int.MaxValue),
        ["bench-onednn --iterations"] = (1, int.MaxValue),
        ["bench-onnx --size"] = (8, 8192),
        ["bench-onnx --ngf"] = (1, 1024),
        ["bench-onnx --batch"] = (1, 1024),
        ["bench-onnx --rounds"] = (1, int.MaxValue),
        ["bench-train --iterations"] = (1, int.MaxValue),
        ["bench-train --rounds"] = (1, int.MaxValue),
        ["bench-train --memory-iterations"] = (0, int.MaxValue),
        ["bench-train --num-threads"] = (0, 64),
        ["bench-train --warmup"] = (1, int.MaxValue),
        ["bench-profile --size"] = (8, 8192),
        ["bench-profile --ngf"] = (1, 1024),
        ["bench-profile --rounds"] = (1, int.MaxValue),
        ["bench-translate --images"] = (1, int.MaxValue),
        ["bench-translate --size"] = (8, 8192),
        ["bench-translate --batch"] = (1, 1024),
        ["bench-translate --rounds"] = (1, int.MaxValue),
    };

    public static int Run(string[] args) => CliApp.Run(BuildRoot(), args);
}

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
        };
        OptionRanges.Apply(root);
        return root;
    }

    public static int Run(string[] args) => CliApp.Run(BuildRoot(), args);
}

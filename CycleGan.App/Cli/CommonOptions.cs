using System.CommandLine;
using CycleGan.App.Devices;

namespace CycleGan.App.Cli;

/// <summary>Options that several commands share, defined once so that their names, defaults and help agree.</summary>
public static class CommonOptions
{
    public static Option<string> Device() => new("--device")
    {
        Description = "Device: " + DeviceSelector.Help,
        DefaultValueFactory = _ => "auto",
        HelpName = "auto|cpu|cuda|cuda:N",
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a config setting: section.key=value (repeatable), e.g. --set train.lr=0.0001",
        AllowMultipleArgumentsPerToken = false,
        HelpName = "section.key=value",
    };

    public static Option<bool> KeepOneDnn() => new("--keep-onednn")
    {
        Description = "Keep libtorch's oneDNN CPU kernels even where the start-up self-check finds their float32 convolution gradients wrong",
    };

    public static Option<int> Seed(int defaultValue) => new("--seed")
    {
        Description = "Random seed",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>test's and evaluate's choice of test images.</summary>
    public static Option<string?> TestData() => new("--data") { Description = "Dataset root with testA/ and testB/ (default: the run's data.dataroot)" };

    public static Option<int> HowMany(int defaultValue) => new("--how-many")
    {
        Description = "Test images per domain, at most",
        DefaultValueFactory = _ => defaultValue,
    };
}

using CycleGan.App.Training;
using System.Text.Json.Nodes;
using CycleGan.Data.Makers;
using CycleGan.Tests.Data;

namespace CycleGan.Tests.Training;

/// <summary>A throw-away training setup: a 7-image synthetic dataset of 16x16 images and a config for networks a few
/// channels wide, so a whole run takes seconds.</summary>
public sealed class TinyRun : IDisposable
{
    private readonly TempDirectory dir = new();

    public TinyRun(string name = "tiny")
    {
        DataRoot = dir.Combine("data");
        SynthDatasetMaker.Make(new SynthOptions { Output = DataRoot, Size = 16, Count = 7, TestCount = 2, Seed = 5 });
        RunsDir = dir.Combine("runs");
        ConfigPath = dir.Combine("tiny.json");
        var config = new JsonObject
        {
            ["name"] = name,
            ["seed"] = 3,
            ["device"] = "cpu",
            ["data"] = new JsonObject
            {
                ["dataroot"] = DataRoot, ["load_size"] = 16, ["crop_size"] = 16, ["num_threads"] = 1, ["batch_size"] = 2,
            },
            ["model"] = new JsonObject
            {
                ["netG"] = "resnet_6blocks", ["netD"] = "n_layers", ["n_layers_D"] = 1, ["ngf"] = 4, ["ndf"] = 4,
            },
            ["train"] = new JsonObject { ["n_epochs"] = 1, ["n_epochs_decay"] = 1, ["pool_size"] = 3 },
            ["output"] = new JsonObject
            {
                ["runs_dir"] = RunsDir, ["display_freq"] = 3, ["print_freq"] = 2, ["save_latest_freq"] = 3, ["save_epoch_freq"] = 1, ["keep_last"] = 2,
            },
        };
        File.WriteAllText(ConfigPath, config.ToJsonString());
    }

    public string DataRoot { get; }

    public string RunsDir { get; }

    public string ConfigPath { get; }

    public string Folder => dir.Path;

    public string RunFolder(string name = "tiny") => Path.Combine(RunsDir, name);

    public static TrainRequest Request(string? config, string? name = null, bool resume = false, string? resumeFolder = null,
        int? stopAfterEpoch = null, string[]? set = null, bool force = false) =>
        new(config, set ?? [], name, null, null, resume, resumeFolder, null, null, force, stopAfterEpoch, false);

    public void Dispose() => dir.Dispose();
}

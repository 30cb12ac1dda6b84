using CycleGan.App.Config;
using CycleGan.App.Devices;
using CycleGan.App.Evaluation;
using CycleGan.App.Layers;
using CycleGan.App.Runs;
using Serilog;

namespace CycleGan.App.Training;

/// <summary>What `cyclegan train` was asked: a new run from a config, or the continuation of one.</summary>
public sealed record TrainRequest(
    string? Config, string[] Set, string? Name, string? Device, int? Seed, bool Resume, string? ResumeFolder,
    int? FromEpoch, int? EpochCount, bool Force, int? StopAfterEpoch, bool KeepOneDnn);

/// <summary>A run ready to train: its config, folder, the checkpoint it continues from (null for a new run) and device.</summary>
public sealed record PreparedRun(CycleGanConfig Config, RunDirectory Run, CheckpointFile? Checkpoint, torch.Device Device);

/// <summary>
/// How a run begins: the config a request resolves to, the run folder, the checkpoint a resume continues from and
/// the resume rules (<see cref="ResumeRules"/>). Every conflict is refused, and the dataset, the device and the folder
/// are checked, before anything is written.
/// </summary>
public static class RunStart
{
    public static PreparedRun Prepare(TrainRequest request)
    {
        if (!request.Resume && (request.FromEpoch is not null || request.EpochCount is not null))
        {
            throw new ArgumentException("--from-epoch and --epoch-count continue a run: use them with --resume");
        }

        if (request.Resume && request.Force)
        {
            throw new ArgumentException("--resume continues a run and --force replaces it: choose one");
        }

        CycleGanConfig? fromFile = request.Config is null ? null : Apply(ConfigLoader.Load(request.Config, request.Set), request);
        if (!request.Resume)
        {
            CycleGanConfig config = fromFile ?? throw new ArgumentException("train needs --config (e.g. --config quickstart) or --resume runs/NAME");
            var run = new RunDirectory(Path.Combine(config.Output.RunsDir, config.Name));
            run.CheckCanStartNewRun(request.Force);
            var newDevice = CheckBeforeWriting(config, request);
            run.CheckCreatable();
            if (run.CreateForNewRun(request.Force) is { } note)
            {
                Log.Warning("{Note}", note);
            }

            return new(config, run, null, newDevice);
        }

        RunDirectory resumed = request.ResumeFolder is { } folder
            ? new RunDirectory(folder)
            : fromFile is not null
                ? new RunDirectory(Path.Combine(fromFile.Output.RunsDir, fromFile.Name))
                : throw new ArgumentException("--resume needs the run folder (--resume runs/NAME) or --config to find it");
        CheckpointFile checkpoint = Checkpoint.Read(resumed.CheckpointToResume(request.FromEpoch));
        CycleGanConfig stored = checkpoint.Config with { Name = Path.GetFileName(resumed.Root) };
        CycleGanConfig resolved = fromFile ?? Apply(ConfigLoader.Parse(ConfigLoader.Serialize(stored), $"the config stored in {checkpoint.Path}", request.Set), request);
        resolved = resolved with { Name = stored.Name, Output = resolved.Output with { RunsDir = Path.GetDirectoryName(resumed.Root)! } };
        var changed = ResumeRules.Check(stored, resolved, resumed.Root);
        if (changed.Count > 0)
        {
            Log.Warning("Resuming with changed settings, in effect from the next iteration (the continuation is not the uninterrupted run): {Changes}",
                string.Join("; ", changed.Select(d => $"{d.Key} {d.Stored} -> {d.Now}")));
        }

        var device = CheckBeforeWriting(resolved, request);
        resumed.EnsureWritable();
        return new(resolved, resumed, checkpoint, device);
    }

    /// <summary>What can fail before training begins, checked before the run folder is touched: the dataset (its
    /// folders and images; the built-in synthetic one is made if missing), the device and the FID weights.</summary>
    private static torch.Device CheckBeforeWriting(CycleGanConfig config, TrainRequest request)
    {
        string root = TrainingData.ResolveRoot(config.Data, m => Log.Information("{Message}", m));
        _ = TrainingData.OpenDataset(config, root, "train", _ => { });
        var device = TorchRuntime.Start(config.Device, request.KeepOneDnn);
        TrainingEvaluator.Check(config, root);
        Bf16Support.Require(ConvolutionPrecisions.Parse(config.Train.Precision), device, "train.precision");
        return device;
    }

    private static CycleGanConfig Apply(CycleGanConfig config, TrainRequest request)
    {
        config = request.Name is { } n ? config with { Name = n } : config;
        config = request.Seed is { } s ? config with { Seed = s } : config;
        config = request.Device is { } d ? config with { Device = d } : config;
        var problems = config.Validate().ToList();
        return problems.Count == 0 ? config : throw new ConfigException("command-line settings: " + string.Join("; ", problems));
    }
}

using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using CycleGan.App.Config;
using CycleGan.App.Training;
using CycleGan.App.Verification;
using Serilog;
using Serilog.Events;
using CycleGan.App.Runs;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan train`: a new run from a config, or the continuation of one from its checkpoint.</summary>
public static class TrainCommand
{
    /// <summary>Exit code of a run stopped by Ctrl+C or SIGTERM after writing its checkpoint (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Config file, or a bare name in configs/ (e.g. quickstart, horse2zebra)" };
        var set = CommonOptions.Set();
        var name = new Option<string?>("--name") { Description = "Run name (default: the config's name); the run folder is runs_dir/NAME" };
        var device = new Option<string?>("--device") { Description = "Device, overriding the config's: auto, cpu, cuda or cuda:N" };
        var seed = new Option<int?>("--seed") { Description = "Random seed, overriding the config's" };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue a run from its checkpoint: --resume runs/NAME, or --resume with --config (and --name) to find the folder",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "RUN_FOLDER",
        };
        var fromEpoch = new Option<int?>("--from-epoch") { Description = "With --resume: continue from epoch N's checkpoint instead of the latest" };
        var epochCount = new Option<int?>("--epoch-count")
        {
            Description = "With --resume: count epochs from N, restarting the data stream and schedule at that epoch (the reference's epoch_count)",
        };
        var force = new Option<bool>("--force") { Description = "Start a new run even if the run folder exists (the old folder is kept, renamed)" };
        var stopAfter = new Option<int?>("--stop-after-epoch") { Description = "Save and stop after epoch N; --resume continues later" };
        var keepOneDnn = CommonOptions.KeepOneDnn();
        var command = new Command("train", "Train a CycleGAN from a JSON config, or resume a run exactly where it stopped.")
        {
            config, set, name, device, seed, resume, fromEpoch, epochCount, force, stopAfter, keepOneDnn,
        };
        command.SetAction(parse =>
        {
            var request = new TrainRequest(
                parse.GetValue(config), parse.GetValue(set) ?? [], parse.GetValue(name), parse.GetValue(device), parse.GetValue(seed),
                parse.GetResult(resume) is not null, parse.GetValue(resume), parse.GetValue(fromEpoch), parse.GetValue(epochCount),
                parse.GetValue(force), parse.GetValue(stopAfter), parse.GetValue(keepOneDnn));
            return Run(request);
        });
        return command;
    }

    /// <param name="request">The command line's settings.</param>
    /// <param name="afterIteration">Called after each iteration (tests).</param>
    /// <param name="stopRequested">Another source of the clean stop that Ctrl+C asks for (tests).</param>
    public static int Run(TrainRequest request, Action<TrainingState>? afterIteration = null, CancellationToken stopRequested = default)
    {
        var (config, run, checkpoint, device) = RunStart.Prepare(request);
        using IDisposable runLock = run.Lock();

        var bar = ProgressBar.IsInteractive ? new ProgressBar() : null;
        ILogger previous = Log.Logger;
        using var console = new LoggerConfiguration().MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Warning, formatProvider: CultureInfo.InvariantCulture).CreateLogger();
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .WriteTo.Logger(l => (bar is null ? l.WriteTo.Logger(console) : l.WriteTo.Sink(bar.Sink(console))).MinimumLevel.Information())
            .WriteTo.File(run.LogFile, outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:l}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture)
            .CreateLogger();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopRequested);
        ConsoleCancelEventHandler onCtrlC = (_, e) => e.Cancel = RequestStop(stop, "Ctrl+C");
        Console.CancelKeyPress += onCtrlC;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => ctx.Cancel = RequestStop(stop, "SIGTERM"));
        try
        {
            if (checkpoint is null || request.Config is not null)
            {
                Log.Information("cyclegan train: run {Run}, config {Config}", run.Root, request.Config);
            }
            else
            {
                Log.Information("cyclegan train: run {Run}, resuming from checkpoint {Checkpoint} (its stored config)", run.Root, checkpoint.Path);
            }
            // under the run's lock: another trainer may not be moving the same files
            int? firstEpoch = checkpoint is null ? null : request.EpochCount ?? checkpoint.State.Epoch;
            if (firstEpoch is { } epoch && run.SetAsideEpochsFrom(epoch) is { } aside)
            {
                Log.Warning("Continuing at epoch {Epoch}, before checkpoints of later epochs that this run had written: they are moved to {Aside}, " +
                            "with copies of latest.ckpt and best.ckpt as they were", epoch, aside);
            }

            AtomicFile.WriteAllText(run.ConfigFile, ConfigLoader.Serialize(config));
            StartupNetworkCheck.Run(config, device);
            var trainer = new Trainer(new TrainerOptions
            {
                Config = config,
                Run = run,
                Device = device,
                ResumeFrom = checkpoint,
                EpochCount = request.EpochCount,
                StopAfterEpoch = request.StopAfterEpoch,
                Stop = stop.Token,
                AfterIteration = afterIteration,
                Progress = bar,
            });
            TrainResult result = trainer.Run();
            bar?.Finish();
            Summarize(result, run);
            return result.Outcome == TrainOutcome.Interrupted ? Interrupted : 0;
        }
        catch (TrainingDivergedException ex)
        {
            bar?.Finish();
            Log.Error("{Message}", ex.Message);
            return 1;
        }
        catch (Exception ex) when (Inference.OutOfMemory.Is(ex))
        {
            // the checkpoints written before are intact (written atomically); the run log keeps the reason
            bar?.Finish();
            Log.Debug(ex, "training failed");
            Log.Error("{Message}", CliApp.OutOfMemoryMessage(ex));
            return CliApp.OutOfMemoryExit;
        }
        catch (Exception ex)
        {
            bar?.Finish();
            Log.Debug(ex, "training failed");
            throw;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
            Log.CloseAndFlush();
            Log.Logger = previous;
        }
    }

    /// <summary>The first signal asks for a clean stop (true: keep the process alive); a second one is not
    /// intercepted, so the process ends at once. Checkpoints are written atomically, so that cannot corrupt them.</summary>
    private static bool RequestStop(CancellationTokenSource stop, string what)
    {
        if (stop.IsCancellationRequested)
        {
            return false;
        }

        Log.Warning("{What}: finishing the current iteration and writing a checkpoint; {What} again quits at once", what, what);
        stop.Cancel();
        return true;
    }

    private static void Summarize(TrainResult result, RunDirectory run)
    {
        string Losses(IReadOnlyDictionary<string, double>? l) => l is null
            ? "n/a"
            : string.Join(" ", l.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.0000}")));
        Log.Information("Session: {Iterations} iterations in {Seconds:0.0} s ({Rate:0.00} it/s); resident memory {First} MB at the first report, {Last} MB at the last",
            result.Iterations, result.Seconds, result.Iterations / Math.Max(1e-9, result.Seconds), result.FirstResidentBytes >> 20, result.LastResidentBytes >> 20);
        Log.Information("Losses, first report: {First}", Losses(result.FirstLosses));
        Log.Information("Losses, last report:  {Last}", Losses(result.LastLosses));
        Log.Information("Outputs: samples {Index}, TensorBoard logs {Board}, checkpoints {Checkpoints}", run.IndexHtml, run.TensorBoard, run.Checkpoints);
    }
}

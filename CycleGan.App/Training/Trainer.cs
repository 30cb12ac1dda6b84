using System.Diagnostics;
using System.Globalization;
using CycleGan.App.Config;
using CycleGan.App.Data;
using CycleGan.App.Evaluation;
using CycleGan.Data.Datasets;
using CycleGan.Data.Loading;
using Serilog;
using TorchSharp.Modules;
using CycleGan.App.Runs;

namespace CycleGan.App.Training;

/// <summary>What a training session is asked to do.</summary>
public sealed record TrainerOptions
{
    public required CycleGanConfig Config { get; init; }

    public required RunDirectory Run { get; init; }

    public required Device Device { get; init; }

    /// <summary>The checkpoint to continue from; null starts a new run.</summary>
    public CheckpointFile? ResumeFrom { get; init; }

    /// <summary>Start counting epochs here instead of where the checkpoint left off (the reference's epoch_count
    /// when continuing from a chosen epoch): the data stream and schedule restart at that epoch's beginning.</summary>
    public int? EpochCount { get; init; }

    /// <summary>Stop (with a checkpoint) after this epoch instead of at the end of the schedule.</summary>
    public int? StopAfterEpoch { get; init; }

    /// <summary>Signalled by Ctrl+C or SIGTERM: the current iteration finishes, a checkpoint is written, the run returns.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Called after every iteration with the state reached (tests use it to interrupt at chosen moments).</summary>
    public Action<TrainingState>? AfterIteration { get; init; }

    /// <summary>The terminal's progress bar; null when output is redirected (then log lines report progress).</summary>
    public ProgressBar? Progress { get; init; }
}

public enum TrainOutcome
{
    /// <summary>All epochs of the schedule are done.</summary>
    Completed,

    /// <summary>Stopped as asked after an epoch (--stop-after-epoch).</summary>
    StoppedAfterEpoch,

    /// <summary>Interrupted by a signal; a checkpoint was written.</summary>
    Interrupted,
}

/// <summary>The session's result, with the loss means of its first and last print windows for reports.</summary>
public sealed record TrainResult(
    TrainOutcome Outcome,
    TrainingState State,
    long Iterations,
    double Seconds,
    IReadOnlyDictionary<string, double>? FirstLosses,
    IReadOnlyDictionary<string, double>? LastLosses,
    long FirstResidentBytes,
    long LastResidentBytes);

/// <summary>A loss that is NaN or infinite: training cannot go on.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

/// <summary>
/// The training loop: epochs of the dataset's deterministic batch stream, one <see cref="CycleGanModel.Step"/> per
/// batch inside its own dispose scope, learning rates per epoch from the policy, and around it the run's outputs:
/// log lines and TensorBoard scalars every print_freq iterations, sample sheets every display_freq iterations and at
/// each epoch's end, checkpoints every save_latest_freq iterations, at each epoch's end and every save_epoch_freq
/// epochs.
/// </summary>
public sealed class Trainer
{
    private readonly TrainerOptions options;
    private readonly CycleGanConfig config;
    private readonly RunDirectory run;
    private SummaryWriter? board;
    private SeededRandom poolRandom = null!;
    private ScoreHistory scores = ScoreHistory.Empty;

    public Trainer(TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        config = options.Config;
        run = options.Run;
    }

    public TrainResult Run()
    {
        string root = TrainingData.ResolveRoot(config.Data, m => Log.Information("{Message}", m));
        UnpairedDataset dataset = TrainingData.OpenDataset(config, root, "train", m => Log.Warning("{Message}", m));
        PrefetchLoader loader = TrainingData.OpenLoader(dataset, config.Data);
        Log.Information("Data: {Summary}", dataset.Summary);
        using TrainingEvaluator? evaluator = TrainingEvaluator.Create(config, root, options.Device);
        scores = ScoreHistory.Load(run.ScoresFile);

        torch.manual_seed(config.Seed);
        poolRandom = new SeededRandom(((ulong)config.Seed * 0x9E3779B97F4A7C15UL) ^ 0xC1C1E6A9UL);
        using var model = new CycleGanModel(config, options.Device, poolRandom);
        TrainingState state = Start(model);
        if (options.ResumeFrom is not null)
        {
            LossHistory.TrimAfter(run.LossesFile, state.Iteration);
        }

        int epochs = config.Train.NEpochs + config.Train.NEpochsDecay;
        int perEpoch = loader.BatchesPerEpoch;
        long totalIterations = state.Iteration + (long)(epochs - state.Epoch + 1) * perEpoch - state.EpochIteration;
        Log.Information("Training {Epochs} epochs of {PerEpoch} iterations (batch {Batch}) on {Device}, from epoch {Epoch} iteration {Iteration}; run folder {Run}",
            epochs, perEpoch, config.Data.BatchSize, options.Device.type, state.Epoch, state.Iteration, run.Root);
        if (config.Output.TensorBoard)
        {
            board = torch.utils.tensorboard.SummaryWriter(run.TensorBoard);
        }

        var session = Stopwatch.StartNew();
        var window = new LossWindow();
        IReadOnlyDictionary<string, double>? firstLosses = null, lastLosses = null;
        long firstRss = 0, lastRss = 0, sessionIterations = 0;
        var windowClock = Stopwatch.StartNew();
        double itPerSecond = 0;
        bool identity = config.Train.LambdaIdentity > 0;
        model.Train();

        while (state.Epoch <= epochs)
        {
            int epoch = state.Epoch;
            double lr = config.Train.Lr * (config.Train.LrPolicy == "plateau" ? state.PlateauFactor : LearningRateSchedule.Factor(config.Train, epoch));
            model.SetLearningRate(lr);
            if (state.EpochIteration == 0)
            {
                Log.Information("Epoch {Epoch}/{Epochs}: learning rate {Lr:G4}", epoch, epochs, lr);
            }

            foreach (UnpairedBatch batch in loader.ReadEpoch(state.Position))
            {
                double[] losses;
                bool lastOfEpoch = batch.Next.Offset >= dataset.Length;
                using (var scope = torch.NewDisposeScope())
                {
                    Tensor a = BatchTensors.ToTensor(batch.A, options.Device);
                    Tensor b = BatchTensors.ToTensor(batch.B, options.Device);
                    if (config.Data.Direction == "BtoA")
                    {
                        (a, b) = (b, a);
                    }

                    StepResult step = model.Step(a, b);
                    losses = step.Losses.to(ScalarType.Float64).cpu().data<double>().ToArray();
                    CheckFinite(losses, epoch, state.Iteration + 1);
                    long iteration = state.Iteration + 1;
                    if (iteration % config.Output.DisplayFreq == 0 || lastOfEpoch)
                    {
                        string sheet = SampleSheets.Write(run, step.Pictures, epoch, iteration, identity);
                        board?.add_img("samples", sheet, (int)iteration, Now());
                    }
                }

                double generatorLoss = losses[1] + losses[2] + losses[3] + losses[5] + losses[6] + losses[7];
                state = state with
                {
                    Iteration = state.Iteration + 1,
                    EpochIteration = state.EpochIteration + 1,
                    Position = batch.Next,
                    EpochLossSum = state.EpochLossSum + generatorLoss,
                    LastLosses = Named(losses),
                };
                sessionIterations++;
                window.Add(losses);

                if (state.Iteration % config.Output.PrintFreq == 0 || (sessionIterations == 1 && options.Progress is not null))
                {
                    itPerSecond = window.Count / Math.Max(1e-9, windowClock.Elapsed.TotalSeconds);
                    var means = window.Means();
                    long rss = Environment.WorkingSet;
                    firstLosses ??= means;
                    lastLosses = means;
                    if (firstRss == 0)
                    {
                        firstRss = rss;
                    }

                    lastRss = rss;
                    Report(state, epochs, totalIterations, itPerSecond, means, lr, rss);
                    window = new LossWindow();
                    windowClock.Restart();
                }

                if (options.Progress is { } bar)
                {
                    double rate = itPerSecond > 0 ? itPerSecond : window.Count / Math.Max(1e-9, windowClock.Elapsed.TotalSeconds);
                    bar.Update(ProgressBar.Format(epoch, epochs, state.Iteration, totalIterations, rate, Short(state.LastLosses)));
                }

                if (state.Iteration % config.Output.SaveLatestFreq == 0)
                {
                    Save([run.Latest], state, model, session);
                }

                options.AfterIteration?.Invoke(state);
                if (options.Stop.IsCancellationRequested)
                {
                    state = Save([run.Latest], state, model, session);
                    Log.Information("Interrupted: checkpoint {Path} written at epoch {Epoch}, iteration {Iteration}; continue with: cyclegan train --resume {Run}",
                        run.Latest, epoch, state.Iteration, run.Root);
                    return Result(TrainOutcome.Interrupted, state, sessionIterations, session, window, firstLosses, lastLosses, firstRss, lastRss);
                }
            }

            state = EndEpoch(state, model, session, evaluator);
            if (options.StopAfterEpoch is { } stopAt && epoch >= stopAt && state.Epoch <= epochs)
            {
                Log.Information("Stopped after epoch {Epoch} as asked; continue with: cyclegan train --resume {Run}", epoch, run.Root);
                return Result(TrainOutcome.StoppedAfterEpoch, state, sessionIterations, session, window, firstLosses, lastLosses, firstRss, lastRss);
            }
        }

        Log.Information("Training finished: {Epochs} epochs, {Iterations} iterations; checkpoints in {Folder}", epochs, state.Iteration, run.Checkpoints);
        return Result(TrainOutcome.Completed, state, sessionIterations, session, window, firstLosses, lastLosses, firstRss, lastRss);
    }

    private TrainingState Start(CycleGanModel model)
    {
        var fresh = new TrainingState
        {
            Epoch = config.Train.EpochCount,
            Position = DatasetPosition.StartOf(config.Train.EpochCount),
        };
        if (options.ResumeFrom is not { } file)
        {
            return fresh;
        }

        TrainingCheckpoint.Restore(file, model);
        TrainingState state = file.State;
        if (state.PoolRandom.Length == 4)
        {
            poolRandom.State = state.PoolRandom;
        }

        if (options.EpochCount is { } start)
        {
            state = state with { Epoch = start, EpochIteration = 0, Position = DatasetPosition.StartOf(start), EpochLossSum = 0 };
        }

        Log.Information("Resumed from {Path}: epoch {Epoch}, iteration {Iteration} ({Done} iterations done)",
            file.Path, state.Epoch, state.EpochIteration, state.Iteration);
        return state;
    }

    private TrainingState EndEpoch(TrainingState state, CycleGanModel model, Stopwatch session, TrainingEvaluator? evaluator)
    {
        int epoch = state.Epoch;
        double meanLoss = state.EpochIteration > 0 ? state.EpochLossSum / state.EpochIteration : double.NaN;
        var plateau = new PlateauSchedule();
        plateau.Restore((state.PlateauFactor, state.PlateauBest ?? double.PositiveInfinity, state.PlateauBadEpochs));
        if (config.Train.LrPolicy == "plateau" && !double.IsNaN(meanLoss))
        {
            plateau.Step(meanLoss);
        }

        state = state with
        {
            Epoch = epoch + 1,
            EpochIteration = 0,
            Position = DatasetPosition.StartOf(epoch + 1),
            EpochLossSum = 0,
            PlateauFactor = plateau.Factor,
            PlateauBest = double.IsPositiveInfinity(plateau.Best) ? null : plateau.Best,
            PlateauBadEpochs = plateau.BadEpochs,
        };
        bool keepEpoch = epoch % config.Output.SaveEpochFreq == 0 || epoch == config.Train.NEpochs + config.Train.NEpochsDecay;
        bool best = evaluator is not null && evaluator.Due(epoch) && Evaluate(evaluator, model, epoch, state.Iteration);
        var paths = new List<string> { run.Latest };
        if (keepEpoch)
        {
            paths.Add(run.EpochCheckpoint(epoch));
        }

        if (best)
        {
            paths.Add(run.BestCheckpoint);
        }

        state = Save([.. paths], state, model, session);
        if (keepEpoch)
        {
            foreach (string removed in run.PruneEpochCheckpoints(config.Output.KeepLast))
            {
                Log.Debug("Removed old checkpoint {Path}", removed);
            }
        }

        Log.Information("End of epoch {Epoch}: mean generator loss {Loss:0.0000}, {Seconds:0.0} s of training so far", epoch, meanLoss, state.TrainSeconds);
        return state;
    }

    /// <summary>Scores the epoch (FID/KID), logs it to the log, TensorBoard and scores.json (which index.html plots);
    /// true when it is the best so far.</summary>
    private bool Evaluate(TrainingEvaluator evaluator, CycleGanModel model, int epoch, long iteration)
    {
        var watch = Stopwatch.StartNew();
        var result = new EpochScores(epoch, iteration, evaluator.Score(model.GA, model.GB));
        scores = scores.With(result);
        scores.Save(run.ScoresFile);
        bool best = scores.BestEpoch == epoch;
        Log.Information("Scores after epoch {Epoch} ({Seconds:0.0} s): {Scores}{Best}", epoch, watch.Elapsed.TotalSeconds,
            TrainingEvaluator.Describe(result.Scores),
            best ? $"; best so far (by {scores.BestBy}), saved as {run.BestCheckpoint}" : scores.BestEpoch is { } b ? $"; best is still epoch {b}" : string.Empty);
        if (board is not null)
        {
            int step = (int)Math.Min(int.MaxValue, iteration);
            foreach (var s in result.Scores)
            {
                string direction = s.Direction.Replace("->", "_to_", StringComparison.Ordinal);
                if (s.Fid is { } fid)
                {
                    board.add_scalar($"fid/{direction}", (float)fid, step, Now());
                }

                if (s.Kid is { } kid)
                {
                    board.add_scalar($"kid/{direction}", (float)kid, step, Now());
                }
            }
        }

        SampleSheets.WriteIndex(run);
        return best;
    }

    /// <summary>Writes the same checkpoint to each path (serialised once) and returns the state it holds.</summary>
    private TrainingState Save(string[] paths, TrainingState state, CycleGanModel model, Stopwatch session)
    {
        var watch = Stopwatch.StartNew();
        state = state with
        {
            PoolRandom = poolRandom.State,
            TrainSeconds = (options.ResumeFrom?.State.TrainSeconds ?? 0) + session.Elapsed.TotalSeconds,
        };
        var sections = TrainingCheckpoint.Sections(config, state, model);
        foreach (string path in paths)
        {
            try
            {
                SectionFile.Write(path, sections);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                string previous = File.Exists(path) ? $"the previous {Path.GetFileName(path)} is intact" : "no earlier checkpoint of that name existed";
                // --resume reads latest.ckpt: advise it only when there is one
                string next = File.Exists(run.Latest)
                    ? $"continue with: cyclegan train --resume {run.Root}"
                    : "this run has no checkpoint to resume from yet: start it again with the same cyclegan train command (its folder is reused)";
                throw new IOException($"writing checkpoint {path} failed at iteration {state.Iteration}: {ex.Message} ({previous}; " +
                                      $"once the cause is fixed, {next})", ex);
            }

            Log.Debug("Saved checkpoint {Path} ({Ms} ms so far)", path, watch.ElapsedMilliseconds);
        }

        return state;
    }

    private void Report(TrainingState state, int epochs, long total, double itPerSecond, IReadOnlyDictionary<string, double> means, double lr, long rss)
    {
        string losses = string.Join(" ", means.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.0000}")));
        string eta = ProgressBar.Duration((total - state.Iteration) / Math.Max(1e-9, itPerSecond));
        Log.Information("epoch {Epoch}/{Epochs} iter {Iteration}/{Total} ({Rate:0.00} it/s, ETA {Eta}, rss {Rss} MB) {Losses}",
            state.Epoch, epochs, state.Iteration, total, itPerSecond, eta, rss >> 20, losses);
        LossHistory.Append(run.LossesFile, state.Iteration, state.Epoch, means);
        if (board is null)
        {
            return;
        }

        int step = (int)Math.Min(int.MaxValue, state.Iteration);
        foreach (var (name, value) in means)
        {
            board.add_scalar($"loss/{name}", (float)value, step, Now());
        }

        board.add_scalar("learning_rate", (float)lr, step, Now());
        board.add_scalar("speed/iterations_per_second", (float)itPerSecond, step, Now());
        board.add_scalar("memory/resident_mb", rss >> 20, step, Now());
    }

    private static void CheckFinite(double[] losses, int epoch, long iteration)
    {
        for (int i = 0; i < losses.Length; i++)
        {
            if (!double.IsFinite(losses[i]))
            {
                throw new TrainingDivergedException(
                    $"loss {CycleGanModel.LossNames[i]} is {losses[i].ToString(CultureInfo.InvariantCulture)} at epoch {epoch}, iteration {iteration}; " +
                    "training stopped (try a lower train.lr). The last checkpoint written before it is kept unchanged.");
            }
        }
    }

    private static Dictionary<string, double> Named(double[] losses) =>
        CycleGanModel.LossNames.Select((n, i) => (n, losses[i])).ToDictionary(x => x.n, x => x.Item2);

    /// <summary>The bar's compact loss summary: both discriminators, both generators' adversarial and cycle losses.</summary>
    private static Dictionary<string, double> Short(IReadOnlyDictionary<string, double> losses) => new()
    {
        ["D"] = losses["D_A"] + losses["D_B"],
        ["G"] = losses["G_A"] + losses["G_B"],
        ["cyc"] = losses["cycle_A"] + losses["cycle_B"],
    };

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>The session's result; the run page is written once more without its reload, so that it shows the losses
    /// reported since it was last written. A session shorter than print_freq reports the means and memory of its
    /// iterations instead of none.</summary>
    private TrainResult Result(TrainOutcome outcome, TrainingState state, long iterations, Stopwatch session, LossWindow window,
        IReadOnlyDictionary<string, double>? first, IReadOnlyDictionary<string, double>? last, long firstRss, long lastRss)
    {
        SampleSheets.WriteIndex(run, live: false);
        IReadOnlyDictionary<string, double>? unreported = window.Count > 0 ? window.Means() : null;
        long rss = Environment.WorkingSet;
        return new(outcome, state, iterations, session.Elapsed.TotalSeconds, first ?? unreported, last ?? unreported,
            firstRss == 0 ? rss : firstRss, lastRss == 0 ? rss : lastRss);
    }

    /// <summary>Sums of the losses since the last report.</summary>
    private sealed class LossWindow
    {
        private readonly double[] sums = new double[CycleGanModel.LossNames.Length];

        public int Count { get; private set; }

        public void Add(double[] losses)
        {
            for (int i = 0; i < sums.Length; i++)
            {
                sums[i] += losses[i];
            }

            Count++;
        }

        public IReadOnlyDictionary<string, double> Means() =>
            CycleGanModel.LossNames.Select((n, i) => (n, sums[i] / Math.Max(1, Count))).ToDictionary(x => x.n, x => x.Item2);
    }
}

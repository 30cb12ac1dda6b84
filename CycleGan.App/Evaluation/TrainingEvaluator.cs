using System.Globalization;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Inference;
using CycleGan.Data.Datasets;
using Serilog;
using CycleGan.App.Runs;

namespace CycleGan.App.Evaluation;

/// <summary>
/// FID/KID during training (output.eval_freq): the FID Inception is loaded when training starts, so a missing weights
/// file stops the run before its first iteration rather than at its first evaluation.
/// </summary>
public sealed class TrainingEvaluator : IDisposable
{
    private readonly CycleGanConfig config;
    private readonly string root;
    private readonly FidInception inception;
    private readonly Device device;

    private TrainingEvaluator(CycleGanConfig config, string root, FidInception inception, Device device)
    {
        this.config = config;
        this.root = root;
        this.inception = inception;
        this.device = device;
    }

    /// <summary>Null when output.eval_freq is 0.</summary>
    public static TrainingEvaluator? Create(CycleGanConfig config, string dataRoot, Device device) =>
        WeightsFor(config, dataRoot) is { } weights ? new TrainingEvaluator(config, dataRoot, InceptionWeights.Load(weights, device), device) : null;

    /// <summary>What <see cref="Create"/> would refuse, refused without keeping anything (the weights are read and
    /// checked, then released): train calls it before it writes the run folder.</summary>
    public static void Check(CycleGanConfig config, string dataRoot)
    {
        if (WeightsFor(config, dataRoot) is { } weights)
        {
            using FidInception checkedOnce = InceptionWeights.Load(weights);
        }
    }

    /// <summary>The weights file to score with, after checking that it is named and the test folders exist; null when
    /// output.eval_freq is 0.</summary>
    private static string? WeightsFor(CycleGanConfig config, string dataRoot)
    {
        if (config.Output.EvalFreq <= 0)
        {
            return null;
        }

        string? weights = InceptionWeights.Resolve(null, config.Output.InceptionWeights);
        if (weights is null)
        {
            throw new FileNotFoundException($"output.eval_freq {config.Output.EvalFreq} asks for FID/KID during training. {InceptionWeights.WhereToGetIt}.");
        }

        foreach (char folder in "AB")
        {
            string dir = DatasetLayout.DomainDirectory(dataRoot, "test", folder);
            if (!Directory.Exists(dir))
            {
                throw new DirectoryNotFoundException($"output.eval_freq scores the test images, but {dir} does not exist");
            }
        }

        return weights;
    }

    public bool Due(int epoch) => epoch % config.Output.EvalFreq == 0 || epoch == config.Train.NEpochs + config.Train.NEpochsDecay;

    /// <summary>Scores both generators (in eval mode for the duration, as the test command uses them).</summary>
    public IReadOnlyList<DistributionScore> Score(nn.Module<Tensor, Tensor> ga, nn.Module<Tensor, Tensor> gb)
    {
        // the training generators, seen as the generator source would describe them once saved
        LoadedGenerator Generator(Direction d) => new(GeneratorIdentity.For(config, d), d == Direction.AtoB ? ga : gb);
        var sideA = TestSide.Of('A', config.Data, Generator);
        var sideB = TestSide.Of('B', config.Data, Generator);
        ga.eval();
        gb.eval();
        try
        {
            var failed = new List<string>();
            var scores = DistributionScores.Compute([sideA, sideB],
                f => DatasetLayout.ListImages(DatasetLayout.DomainDirectory(root, "test", f), config.Output.EvalHowMany).Images,
                inception, device, fid: true, kid: true, failed);
            if (failed.Count > 0)
            {
                Log.Warning("FID/KID: {Count} unreadable test image(s) skipped", failed.Count);
            }

            return scores;
        }
        finally
        {
            ga.train();
            gb.train();
        }
    }

    /// <summary>One log line: each direction's N and scores, then the small-set note once (both directions share it
    /// where their N agree).</summary>
    public static string Describe(IReadOnlyList<DistributionScore> scores) => string.Join("; ", scores.Select(s =>
        $"{s.Direction} ({s.Translated}/{s.Real} images) " +
        (s.Fid is { } f ? string.Create(CultureInfo.InvariantCulture, $"FID {f:0.00} ") : "FID n/a ") +
        (s.Kid is { } k ? string.Create(CultureInfo.InvariantCulture, $"KID {k:G4} ± {s.KidStd:G2}") : "KID n/a")))
        + string.Concat(scores.Select(s => s.FidNote).OfType<string>().Distinct().Select(n => $" ({n})"));

    public void Dispose() => inception.Dispose();
}

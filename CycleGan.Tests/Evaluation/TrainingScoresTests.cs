using System.Text.Json;
using CycleGan.App.Generators;
using CycleGan.App.Cli;
using CycleGan.App.Evaluation;
using CycleGan.App.Training;
using CycleGan.Tests.Training;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Evaluation;

/// <summary>output.eval_freq: FID/KID after epochs, scores.json, best.ckpt and --epoch best, the plots in index.html.</summary>
[Collection(GlobalRandomCollection.Name)]
public sealed class TrainingScoresTests
{
    [Fact]
    public void Training_with_eval_freq_scores_each_epoch_keeps_the_best_and_plots_them()
    {
        using var tiny = new TinyRun();
        string weights = RandomInceptionFile.Write(Path.Combine(tiny.Folder, "inception.pth"));
        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["output.eval_freq=1", $"output.inception_weights={weights}"])));

        var run = new RunDirectory(tiny.RunFolder());
        ScoreHistory history = ScoreHistory.Load(run.ScoresFile);
        Assert.Equal([1, 2], history.Epochs.Select(e => e.Epoch));
        foreach (var scores in history.Epochs.Select(e => e.Scores))
        {
            Assert.Equal(["A->B", "B->A"], scores.Select(s => s.Direction));
            Assert.All(scores, s =>
            {
                Assert.Equal(2, s.Translated);
                Assert.Equal(2, s.Real);
                Assert.True(s.Fid is { } f && double.IsFinite(f), $"FID {s.Fid}"); // 2 images: computed, with the note
                Assert.Contains("biased upward", s.FidNote);
                Assert.True(s.Kid is { } k && double.IsFinite(k));
            });
        }

        // the best epoch is the one whose summed FID is lowest, and best.ckpt is that epoch's checkpoint
        int expectedBest = history.Epochs.OrderBy(e => e.Scores.Sum(s => s.Fid!.Value)).First().Epoch;
        Assert.Equal(expectedBest, history.BestEpoch);
        Assert.Equal("FID", history.BestBy);
        using (var best = GeneratorSource.FromCheckpoint(run.CheckpointOfBest(), torch.CPU))
        {
            Assert.Equal(expectedBest, best.Origin.Epoch);
        }

        string html = File.ReadAllText(run.IndexHtml);
        Assert.Contains("<h2>Losses</h2>", html);
        Assert.Contains("<h2>FID and KID</h2>", html);
        Assert.Contains("KID (mean over subsets)", html);
        Assert.Contains($"best: epoch {expectedBest}", html);
        Assert.True(LossHistory.Read(run.LossesFile).Rows.Count >= 2);

        // --epoch best through the command line
        var (code, output, error) = CaptureEvaluate(["evaluate", "--run", run.Root, "--epoch", "best", "--json"]);
        Assert.True(code == 0, error);
        Assert.Equal(expectedBest, JsonDocument.Parse(output).RootElement.GetProperty("epoch").GetInt32());

        // evaluate --fid --kid --inception-weights: the text table's FID and KID rows, N and the small-set note
        (code, output, error) = CaptureEvaluate(["evaluate", "--run", run.Root, "--epoch", "best", "--fid", "--kid", "--inception-weights", weights]);
        Assert.True(code == 0, error);
        string[] lines = output.Split('\n');
        Assert.Matches(@"^translated vs real images\s+2/2\s+2/2\s*$", lines.Single(l => l.StartsWith("translated vs real", StringComparison.Ordinal)));
        double[] fids = NumbersOf(lines.Single(l => l.StartsWith("FID (translated", StringComparison.Ordinal)));
        var bestScores = history.Epochs.Single(e => e.Epoch == expectedBest).Scores;
        Assert.Equal(bestScores.Select(s => Math.Round(s.Fid!.Value, 2, MidpointRounding.AwayFromZero)), fids); // the training-time scores of that epoch
        Assert.Equal(2, NumbersOf(lines.Single(l => l.StartsWith("KID x 1000 (mean)", StringComparison.Ordinal))).Length);
        Assert.Single(lines, l => l.StartsWith("note: FID on small sets (here 2 and 2 images", StringComparison.Ordinal) && l.Contains("biased upward", StringComparison.Ordinal));
    }

    private static double[] NumbersOf(string row) =>
        row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Reverse().Take(2).Reverse()
            .Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Eval_freq_without_weights_is_refused_before_training_and_a_run_without_scores_has_no_best()
    {
        using var tiny = new TinyRun();
        string? saved = Environment.GetEnvironmentVariable(InceptionWeights.EnvironmentVariable);
        Environment.SetEnvironmentVariable(InceptionWeights.EnvironmentVariable, null);
        try
        {
            var ex = Assert.Throws<FileNotFoundException>(() => TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, set: ["output.eval_freq=1"])));
            Assert.Contains(InceptionWeights.Url, ex.Message);
            Assert.False(File.Exists(new RunDirectory(tiny.RunFolder()).Latest));
        }
        finally
        {
            Environment.SetEnvironmentVariable(InceptionWeights.EnvironmentVariable, saved);
        }

        Assert.Equal(0, TrainCommand.Run(TinyRun.Request(tiny.ConfigPath, stopAfterEpoch: 1, force: true)));
        var none = Assert.Throws<FileNotFoundException>(() => new RunDirectory(tiny.RunFolder()).CheckpointOfBest());
        Assert.Contains("output.eval_freq", none.Message);
    }

    private static (int Code, string Output, string Error) CaptureEvaluate(string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            int code = CliApp.Run(args);
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}

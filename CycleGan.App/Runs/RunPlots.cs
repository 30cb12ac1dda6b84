using System.Globalization;
using System.Text;

namespace CycleGan.App.Runs;

/// <summary>The plots at the top of the run's index.html: the losses over iterations (losses.csv) and, where training
/// scored epochs, FID and KID over epochs with the best epoch marked (scores.json).</summary>
public static class RunPlots
{
    public static string Html(RunDirectory run)
    {
        var html = new StringBuilder();
        var (names, rows) = LossHistory.Read(run.LossesFile);
        if (rows.Count > 0)
        {
            ChartSeries Series(string name)
            {
                int i = Array.IndexOf([.. names], name);
                return new ChartSeries(name, rows.Select(r => ((double)r.Iteration, i >= 0 ? r.Values[i] : double.NaN)).ToList());
            }

            html.AppendLine("<h2>Losses</h2><div class=\"plots\">");
            html.AppendLine(SvgChart.Line("Generators: adversarial and cycle losses", "iteration",
                names.Where(n => n.StartsWith("G_", StringComparison.Ordinal) || n.StartsWith("cycle_", StringComparison.Ordinal)).Select(Series).ToList()));
            html.AppendLine(SvgChart.Line("Discriminators and identity losses", "iteration",
                names.Where(n => n.StartsWith("D_", StringComparison.Ordinal) || n.StartsWith("idt_", StringComparison.Ordinal)).Select(Series).ToList()));
            html.AppendLine("</div>");
        }

        ScoreHistory scores;
        try
        {
            scores = ScoreHistory.Load(run.ScoresFile);
        }
        catch (InvalidDataException)
        {
            scores = ScoreHistory.Empty;
        }

        if (scores.Epochs.Count > 0)
        {
            string[] directions = scores.Epochs.SelectMany(e => e.Scores.Select(s => s.Direction)).Distinct().ToArray();
            string? mark = scores.BestEpoch is { } b ? string.Create(CultureInfo.InvariantCulture, $"best: epoch {b}") : null;
            ChartSeries Series(string direction, Func<DistributionScore, double?> value) => new(direction,
                scores.Epochs.Select(e => ((double)e.Epoch, e.Scores.FirstOrDefault(s => s.Direction == direction) is { } s && value(s) is { } v ? v : double.NaN)).ToList());
            html.AppendLine("<h2>FID and KID</h2>");
            html.AppendLine($"<p>Translations of each domain's test images against the other domain's real test images, lower is better" +
                            (scores.BestEpoch is { } best ? $"; best epoch {best} (by {scores.BestBy}), kept as checkpoints/best.ckpt (--epoch best)" : string.Empty) + ".</p>");
            html.AppendLine("<div class=\"plots\">");
            if (scores.Epochs.Any(e => e.Scores.Any(s => s.Fid is not null)))
            {
                html.AppendLine(SvgChart.Line("FID", "epoch", directions.Select(d => Series(d, s => s.Fid)).ToList(), scores.BestEpoch, mark));
            }
            else if (scores.Epochs[^1].Scores.FirstOrDefault(s => s.FidNote is not null) is { } noted)
            {
                html.AppendLine($"<p>FID: {System.Net.WebUtility.HtmlEncode(noted.FidNote)}</p>");
            }

            if (scores.Epochs.Any(e => e.Scores.Any(s => s.Kid is not null)))
            {
                html.AppendLine(SvgChart.Line("KID (mean over subsets)", "epoch", directions.Select(d => Series(d, s => s.Kid)).ToList(), scores.BestEpoch, mark));
            }

            html.AppendLine("</div>");
        }

        return html.ToString();
    }
}

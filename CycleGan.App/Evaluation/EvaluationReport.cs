using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Runs;

namespace CycleGan.App.Evaluation;

/// <summary>One direction's results of `cyclegan evaluate`.</summary>
public sealed record DirectionMetrics(
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("cycle_l1")] double CycleL1,
    [property: JsonPropertyName("identity_l1")] double IdentityL1,
    [property: JsonPropertyName("truth_images")] int TruthImages,
    [property: JsonPropertyName("psnr_db")] double? Psnr,
    [property: JsonPropertyName("ssim")] double? Ssim,
    [property: JsonPropertyName("input_psnr_db")] double? InputPsnr,
    [property: JsonPropertyName("input_ssim")] double? InputSsim);

/// <summary>What `cyclegan evaluate` measured, printed as a table or as JSON.</summary>
public sealed record EvaluationReport(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("epoch")] int? Epoch,
    [property: JsonPropertyName("data")] string Data,
    [property: JsonPropertyName("results")] IReadOnlyList<DirectionMetrics> Results,
    [property: JsonPropertyName("failed_files")] IReadOnlyList<string> Failed)
{
    /// <summary>FID/KID per direction, when asked for (--fid, --kid).</summary>
    [JsonPropertyName("distribution")]
    public IReadOnlyList<DistributionScore>? Distribution { get; init; }

    public string Table()
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{Source} ({EpochLabel.Of(Epoch)}), test data {Data}");
        w.WriteLine("errors are mean absolute differences in [0, 1] intensity; PSNR in dB (peak 1); SSIM 11x11 Gaussian, sigma 1.5");
        w.WriteLine($"{"metric",-40}" + string.Concat(Results.Select(r => $"{r.Direction,12}")));
        void Row(string name, Func<DirectionMetrics, double?> value, string format) =>
            w.WriteLine($"{name,-40}" + string.Concat(Results.Select(r => $"{(value(r) is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a"),12}")));
        Row("test images", r => r.Images, "0");
        Row("cycle L1 (reconstructed vs real)", r => r.CycleL1, "0.0000");
        Row("identity L1 (other generator vs real)", r => r.IdentityL1, "0.0000");
        Row("images with truth", r => r.TruthImages, "0");
        Row("PSNR translation vs truth", r => r.Psnr, "0.00");
        Row("SSIM translation vs truth", r => r.Ssim, "0.0000");
        Row("PSNR input vs truth (do-nothing baseline)", r => r.InputPsnr, "0.00");
        Row("SSIM input vs truth (do-nothing baseline)", r => r.InputSsim, "0.0000");
        if (Distribution is { } scores)
        {
            // a space before each value keeps columns apart when a score is wider than its column (KID of untrained weights)
            void ScoreRow(string name, Func<DistributionScore, string> value) =>
                w.WriteLine($"{name,-40}" + string.Concat(scores.Select(r => $" {value(r),11}")));
            string Number(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";
            ScoreRow("translated vs real images", r => $"{r.Translated}/{r.Real}");
            ScoreRow("FID (translated vs other domain's real)", r => Number(r.Fid, "0.00"));
            ScoreRow("KID x 1000 (mean)", r => Number(r.Kid * 1000, "0.000"));
            ScoreRow("KID x 1000 (std over subsets)", r => Number(r.KidStd * 1000, "0.000"));
            // a note that every direction shares (the small-set one, at equal N) is printed once
            foreach (var group in scores.Where(r => r.FidNote is not null).GroupBy(r => r.FidNote))
            {
                w.WriteLine(group.Count() == scores.Count ? $"note: {group.Key}" : string.Join(Environment.NewLine, group.Select(r => $"{r.Direction}: {r.FidNote}")));
            }
        }

        if (Failed.Count > 0)
        {
            w.WriteLine($"{Failed.Count} unreadable file(s) skipped");
        }

        return w.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions
    {
        WriteIndented = true, Encoder = PlainJson.Encoder, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    });
}

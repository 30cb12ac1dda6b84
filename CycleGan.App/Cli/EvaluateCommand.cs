using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CycleGan.App.Evaluation;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Inference;
using CycleGan.Data.Imaging;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;
using CycleGan.App.Runs;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan evaluate`: cycle-consistency and identity errors on the test images, and where the dataset keeps
/// the hidden pairing, PSNR and SSIM of the translations against the truth.</summary>
public static class EvaluateCommand
{
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

    public sealed record Report(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("epoch")] int? Epoch,
        [property: JsonPropertyName("data")] string Data,
        [property: JsonPropertyName("results")] IReadOnlyList<DirectionMetrics> Results,
        [property: JsonPropertyName("failed_files")] IReadOnlyList<string> Failed)
    {
        /// <summary>FID/KID per direction, when asked for (--fid, --kid).</summary>
        [JsonPropertyName("distribution")]
        public IReadOnlyList<DistributionScore>? Distribution { get; init; }
    }

    public static Command Create()
    {
        var model = ModelOptions.Create(withWeights: false);
        var data = new Option<string?>("--data") { Description = "Dataset root with testA/ and testB/ (default: the run's data.dataroot)" };
        var howMany = new Option<int>("--how-many") { Description = "Test images per domain, at most", DefaultValueFactory = _ => 1000 };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table" };
        var fid = new Option<bool>("--fid") { Description = "Also the FID of each direction's translations against the other domain's real test images (needs the FID Inception weights)" };
        var kid = new Option<bool>("--kid") { Description = "Also the KID (mean and standard deviation over subsets), as --fid" };
        var weights = new Option<string?>("--inception-weights")
        {
            Description = $"The FID Inception weights ({InceptionWeights.FileName}); default: ${InceptionWeights.EnvironmentVariable}, then the run's output.inception_weights",
        };
        var command = new Command("evaluate", "Measure a trained model on the test images: cycle and identity L1; PSNR and SSIM against the truth where the dataset has one; FID and KID on request.")
        {
            data, howMany, json, fid, kid, weights,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            var device = CliApp.InitializeTorch(parse.GetValue(model.Device), parse.GetValue(model.KeepOneDnn));
            using TrainedGenerators trained = model.Load(parse, Direction.AtoB, device, weightsAllowed: false);
            TestSet set = TestSet.Open(trained, parse.GetValue(data));
            bool wantFid = parse.GetValue(fid), wantKid = parse.GetValue(kid);
            using FidInception? inception = wantFid || wantKid
                ? InceptionWeights.Load(InceptionWeights.Resolve(parse.GetValue(weights), trained.Config.Output.InceptionWeights), device)
                : null;
            Report report = Evaluate(trained, set, device, parse.GetValue(howMany));
            if (inception is not null)
            {
                var failed = new List<string>();
                report = report with
                {
                    Distribution = DistributionScores.Compute([set.Side('A'), set.Side('B')], f => set.Files(f, parse.GetValue(howMany)),
                        inception, device, wantFid, wantKid, failed),
                };
            }

            Console.Write(parse.GetValue(json)
                ? JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, Encoder = Config.PlainJson.Encoder, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals }) + Environment.NewLine
                : Table(report));
            return report.Failed.Count == 0 ? 0 : 1;
        });
        return command;
    }

    public static Report Evaluate(TrainedGenerators trained, TestSet set, Device device, int howMany)
    {
        var results = new List<DirectionMetrics>();
        var failed = new List<string>();
        foreach (TestSide s in new[] { set.Side('A'), set.Side('B') })
        {
            char side = s.Folder;
            var (input, output) = s.Channels;
            double cycle = 0, identity = 0, psnr = 0, ssim = 0, inputPsnr = 0, inputSsim = 0;
            int images = 0, truths = 0, identities = 0;
            foreach (string file in set.Files(side, howMany))
            {
                try
                {
                    using var scope = torch.NewDisposeScope();
                    using var noGrad = torch.no_grad();
                    var (real, fake, rec) = TestSet.RoundTrip(s, file, device);
                    float[] realValues = TestSet.UnitValues(real);
                    cycle += ImageMetrics.MeanAbsoluteError(TestSet.UnitValues(rec), realValues);
                    if (input == output)
                    {
                        // the generator that produces this side's domain should leave its images unchanged
                        identity += ImageMetrics.MeanAbsoluteError(TestSet.UnitValues(Translator.Apply(s.Backward, real, s.Multiple)), realValues);
                        identities++;
                    }

                    if (set.TruthFor(side, file) is { } truthFile)
                    {
                        Tensor truth = TestSet.Load(truthFile, output, device);
                        if (truth.shape.SequenceEqual(fake.shape))
                        {
                            float[] truthValues = TestSet.UnitValues(truth), fakeValues = TestSet.UnitValues(fake);
                            int c = (int)fake.shape[1], h = (int)fake.shape[2], w = (int)fake.shape[3];
                            psnr += ImageMetrics.Psnr(fakeValues, truthValues);
                            ssim += ImageMetrics.Ssim(fakeValues, truthValues, c, h, w);
                            if (input == output)
                            {
                                inputPsnr += ImageMetrics.Psnr(realValues, truthValues);
                                inputSsim += ImageMetrics.Ssim(realValues, truthValues, c, h, w);
                            }

                            truths++;
                        }
                    }

                    images++;
                }
                catch (BadImageException ex)
                {
                    Log.Error("{File}: {Error}", file, ex.Reason);
                    failed.Add(file);
                }
            }

            if (images == 0)
            {
                throw new FileNotFoundException($"no readable test images in {Path.Combine(set.Root, $"test{side}")}");
            }

            double? Mean(double sum, int n) => n > 0 ? sum / n : null;
            results.Add(new DirectionMetrics(
                $"{side}->{s.Other}", images, cycle / images, Mean(identity, identities) ?? double.NaN, truths,
                Mean(psnr, truths), Mean(ssim, truths), input == output ? Mean(inputPsnr, truths) : null, input == output ? Mean(inputSsim, truths) : null));
        }

        return new Report(trained.Origin.Source, trained.Origin.Epoch, set.Root, results, failed);
    }

    public static string Table(Report report)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{report.Source} ({EpochLabel.Of(report.Epoch)}), test data {report.Data}");
        w.WriteLine("errors are mean absolute differences in [0, 1] intensity; PSNR in dB (peak 1); SSIM 11x11 Gaussian, sigma 1.5");
        w.WriteLine($"{"metric",-40}" + string.Concat(report.Results.Select(r => $"{r.Direction,12}")));
        void Row(string name, Func<DirectionMetrics, double?> value, string format) =>
            w.WriteLine($"{name,-40}" + string.Concat(report.Results.Select(r => $"{(value(r) is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a"),12}")));
        Row("test images", r => r.Images, "0");
        Row("cycle L1 (reconstructed vs real)", r => r.CycleL1, "0.0000");
        Row("identity L1 (other generator vs real)", r => r.IdentityL1, "0.0000");
        Row("images with truth", r => r.TruthImages, "0");
        Row("PSNR translation vs truth", r => r.Psnr, "0.00");
        Row("SSIM translation vs truth", r => r.Ssim, "0.0000");
        Row("PSNR input vs truth (do-nothing baseline)", r => r.InputPsnr, "0.00");
        Row("SSIM input vs truth (do-nothing baseline)", r => r.InputSsim, "0.0000");
        if (report.Distribution is { } scores)
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

        if (report.Failed.Count > 0)
        {
            w.WriteLine($"{report.Failed.Count} unreadable file(s) skipped");
        }

        return w.ToString();
    }
}

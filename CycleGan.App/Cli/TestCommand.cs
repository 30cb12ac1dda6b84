using System.CommandLine;
using System.Net;
using System.Text;
using CycleGan.App.Data;
using CycleGan.App.Config;
using CycleGan.App.Generators;
using CycleGan.App.Inference;
using CycleGan.Data.Imaging;
using Serilog;
using TorchSharp;
using static TorchSharp.torch;
using CycleGan.App.Runs;

namespace CycleGan.App.Cli;

/// <summary>`cyclegan test`: translates the test images both ways and back, into an HTML page of results.</summary>
public static class TestCommand
{
    public static Command Create()
    {
        var model = ModelOptions.Create(withWeights: false);
        var data = new Option<string?>("--data") { Description = "Dataset root with testA/ and testB/ (default: the run's data.dataroot)" };
        var howMany = new Option<int>("--how-many") { Description = "Test images per domain, at most", DefaultValueFactory = _ => 50 };
        var results = new Option<string>("--results-dir") { Description = "Where results/NAME/EPOCH/ is written", DefaultValueFactory = _ => "results" };
        var command = new Command("test", "Translate testA and testB both ways and back; write results/NAME/EPOCH/index.html (real, fake, reconstructed).")
        {
            data, howMany, results,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(howMany); // range: OptionRanges

            var device = CliApp.InitializeTorch(parse.GetValue(model.Device), parse.GetValue(model.KeepOneDnn));
            using TrainedGenerators trained = model.Load(parse, Direction.AtoB, device, weightsAllowed: false);
            TestSet set = TestSet.Open(trained, parse.GetValue(data));
            string name = trained.Origin.RunFolder is { } r ? Path.GetFileName(r) : Path.GetFileNameWithoutExtension(trained.Origin.Source);
            string folder = Path.GetFullPath(Path.Combine(parse.GetValue(results)!, name, trained.Origin.Epoch?.ToString() ?? "latest"));
            string images = Path.Combine(folder, "images");
            ResultsFolder.Claim(folder, trained.Origin.RunFolder ?? trained.Origin.Source);
            Directory.CreateDirectory(images);
            Log.Information("Testing {Source} ({Epoch}) on {Root}: up to {N} images per domain into {Folder}", trained.Origin.Source, EpochLabel.Of(trained.Origin.Epoch), set.Root, n, folder);

            var html = new StringBuilder();
            html.AppendLine("<!DOCTYPE html>");
            html.AppendLine($"<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(name)}: test results, {EpochLabel.Of(trained.Origin.Epoch)}</title>");
            html.AppendLine("<style>body{font-family:sans-serif}td{padding:4px;text-align:center}img{image-rendering:pixelated;width:128px}</style></head><body>");
            html.AppendLine($"<h1>{WebUtility.HtmlEncode(name)}, {EpochLabel.Of(trained.Origin.Epoch)}</h1><p>{WebUtility.HtmlEncode(trained.Origin.Source)}; data {WebUtility.HtmlEncode(set.Root)}</p>");
            int count = 0, failed = 0;
            foreach (TestSide s in new[] { set.Side('A'), set.Side('B') })
            {
                char side = s.Folder, other = s.Other;
                html.AppendLine($"<h2>test{side}: real {side}, fake {other}, reconstructed {side}</h2><table>");
                html.AppendLine($"<tr><th>file</th><th>real_{side}</th><th>fake_{other}</th><th>rec_{side}</th></tr>");
                // one output name per test image, as translate names them (OutputNames): none replaces another
                foreach (var (file, stem, clash) in OutputNames.Assign(set.Files(side, n), string.Empty, string.Empty))
                {
                    if (stem is null)
                    {
                        Log.Error("{File}: {Error}", file, clash);
                        html.AppendLine($"<tr><td>{WebUtility.HtmlEncode(Path.GetFileName(file))}</td><td colspan=\"3\">not written: {WebUtility.HtmlEncode(clash)}</td></tr>");
                        failed++;
                        continue;
                    }

                    try
                    {
                        using var scope = torch.NewDisposeScope();
                        using var noGrad = torch.no_grad();
                        var (real, fake, rec) = TestSet.RoundTrip(s, file, device);
                        html.Append($"<tr><td>{WebUtility.HtmlEncode(Path.GetFileName(file))}</td>");
                        foreach (var (label, t) in new[] { ($"real_{side}", real), ($"fake_{other}", fake), ($"rec_{side}", rec) })
                        {
                            string png = $"{stem}_{label}.png";
                            ImageWriter.SaveFromBatch(BatchTensors.ToBatch(t, [png]), 0, Path.Combine(images, png.Replace('/', Path.DirectorySeparatorChar)));
                            string src = string.Join("/", png.Split('/').Select(Uri.EscapeDataString));
                            html.Append($"<td><img src=\"images/{WebUtility.HtmlEncode(src)}\" alt=\"{label}\"></td>");
                        }

                        html.AppendLine("</tr>");
                        count++;
                    }
                    catch (BadImageException ex)
                    {
                        Log.Error("{File}: {Error}", file, ex.Reason);
                        html.AppendLine($"<tr><td>{WebUtility.HtmlEncode(Path.GetFileName(file))}</td><td colspan=\"3\">unreadable: {WebUtility.HtmlEncode(ex.Reason)}</td></tr>");
                        failed++;
                    }
                }

                html.AppendLine("</table>");
            }

            html.AppendLine("</body></html>");
            string index = Path.Combine(folder, "index.html");
            AtomicFile.WriteAllText(index, html.ToString());
            Log.Information("Wrote {Count} result rows; open {Index}", count, index);
            // as evaluate and translate: the readable images are done, and a file that failed fails the command
            if (failed > 0)
            {
                Log.Error("{Failed} test image(s) failed (see above)", failed);
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}

using System.Net;
using System.Text;
using CycleGan.App.Data;
using CycleGan.App.Generators;
using CycleGan.App.Runs;
using CycleGan.Data.Imaging;
using Serilog;

namespace CycleGan.App.Inference;

/// <summary>`cyclegan test`'s results: each test image translated and translated back, as PNGs under FOLDER/images,
/// and FOLDER/index.html, a table of real, fake and reconstructed images per domain.</summary>
public static class TestResults
{
    /// <summary>RESULTS_DIR/NAME/EPOCH: NAME is the run's (or the weights file's), EPOCH the checkpoint's or "latest".</summary>
    public static string FolderFor(TrainedGenerators trained, string resultsDir) =>
        Path.GetFullPath(Path.Combine(resultsDir, Name(trained), trained.Origin.Epoch?.ToString() ?? "latest"));

    public static string IndexFile(string folder) => Path.Combine(folder, "index.html");

    private static string Name(TrainedGenerators trained) =>
        trained.Origin.RunFolder is { } r ? Path.GetFileName(r) : Path.GetFileNameWithoutExtension(trained.Origin.Source);

    /// <summary>Writes up to <paramref name="howMany"/> rows per domain; returns the rows written and the test images
    /// that failed (unreadable, or an output name another image took).</summary>
    public static (int Written, int Failed) Write(TrainedGenerators trained, TestSet set, int howMany, string folder, Device device)
    {
        string name = Name(trained);
        string images = Path.Combine(folder, "images");
        Directory.CreateDirectory(images);
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
            foreach (var (file, stem, clash) in OutputNames.Assign(set.Files(side, howMany), string.Empty, string.Empty))
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
        AtomicFile.WriteAllText(IndexFile(folder), html.ToString());
        return (count, failed);
    }
}

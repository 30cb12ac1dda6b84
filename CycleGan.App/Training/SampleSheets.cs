using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CycleGan.App.Data;
using CycleGan.Data.Imaging;
using CycleGan.Data.Loading;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using CycleGan.App.Runs;

namespace CycleGan.App.Training;

/// <summary>
/// The pictures of training: each sheet shows the first image of a step's batch, the A side (real A, fake B,
/// reconstructed A, identity) over the B side, saved as samples/epoch_EEEE_iter_IIIIIIII.png; index.html lists the
/// sheets by epoch, newest first, for a browser.
/// </summary>
public static partial class SampleSheets
{
    public static string Write(RunDirectory run, StepPictures p, int epoch, long iteration, bool identity)
    {
        var rows = new List<(string Label, Tensor Image)>
        {
            ("real_A", p.RealA), ("fake_B", p.FakeB), ("rec_A", p.RecA),
        };
        if (identity)
        {
            rows.Add(("idt_B", p.IdtB));
        }

        rows.AddRange([("real_B", p.RealB), ("fake_A", p.FakeA), ("rec_B", p.RecB)]);
        if (identity)
        {
            rows.Add(("idt_A", p.IdtA));
        }

        var images = rows.Select(r => (r.Label, Image: ToImage(r.Image))).ToList();
        try
        {
            using Image<Rgb24> sheet = ImageGrid.Compose(images.Select(i => new GridCell(i.Image, i.Label)).ToList(), columns: identity ? 4 : 3);
            string path = Path.Combine(run.Samples, $"epoch_{epoch:D4}_iter_{iteration:D8}.png");
            ImageWriter.Save(sheet, path);
            WriteIndex(run);
            return path;
        }
        finally
        {
            foreach (var (_, image) in images)
            {
                image.Dispose();
            }
        }
    }

    /// <summary>Rewrites index.html from the sheets present (atomically, so a browser never sees half a page); while
    /// <paramref name="live"/> (training goes on) the page reloads itself every minute.</summary>
    public static void WriteIndex(RunDirectory run, bool live = true)
    {
        var sheets = Directory.Exists(run.Samples)
            ? Directory.EnumerateFiles(run.Samples, "epoch_*_iter_*.png")
                .Select(f => (Match: SheetName().Match(Path.GetFileName(f)), File: Path.GetFileName(f)))
                .Where(s => s.Match.Success)
                .Select(s => (Epoch: int.Parse(s.Match.Groups[1].Value, CultureInfo.InvariantCulture),
                    Iteration: long.Parse(s.Match.Groups[2].Value, CultureInfo.InvariantCulture), s.File))
                .ToList()
            : [];
        string name = WebUtility.HtmlEncode(Path.GetFileName(run.Root));
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        string reload = live ? "<meta http-equiv=\"refresh\" content=\"60\">" : string.Empty;
        html.AppendLine($"<html><head><meta charset=\"utf-8\">{reload}<title>CycleGAN run {name}</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:1em}h2{margin-top:1.5em}figure{display:inline-block;margin:.5em}" +
                        "img{image-rendering:pixelated;max-width:100%}.plots svg{margin:.5em;border:1px solid #ddd}</style></head><body>");
        html.AppendLine($"<h1>CycleGAN run {name}</h1>");
        html.AppendLine($"<p>{sheets.Count} sample sheet(s); rows: real A, fake B, reconstructed A, identity; then the same for B. " +
                        (live ? "Updated during training; this page reloads every minute." : "Written when the training session ended.") + "</p>");
        html.Append(RunPlots.Html(run));
        foreach (var epoch in sheets.GroupBy(s => s.Epoch).OrderByDescending(g => g.Key))
        {
            html.AppendLine($"<h2>Epoch {epoch.Key}</h2>");
            foreach (var s in epoch.OrderByDescending(s => s.Iteration))
            {
                string file = WebUtility.HtmlEncode(s.File);
                html.AppendLine($"<figure><img src=\"samples/{file}\" alt=\"{file}\"><figcaption>iteration {s.Iteration}</figcaption></figure>");
            }
        }

        html.AppendLine("</body></html>");
        AtomicFile.WriteAllText(run.IndexHtml, html.ToString());
    }

    /// <summary>Small images are enlarged (nearest neighbour, whole multiples) to about 128 pixels so that a sheet of
    /// 32-pixel samples is readable.</summary>
    private static Image<Rgb24> ToImage(Tensor batch)
    {
        ImageBatch host = BatchTensors.ToBatch(batch[0], ["sample"]);
        Image<Rgb24> image = ImageWriter.ToImage(host, 0);
        int factor = Math.Max(1, 128 / Math.Max(image.Width, image.Height));
        if (factor > 1)
        {
            image.Mutate(c => c.Resize(image.Width * factor, image.Height * factor, KnownResamplers.NearestNeighbor));
        }

        return image;
    }

    [GeneratedRegex(@"^epoch_(\d+)_iter_(\d+)\.png$")]
    private static partial Regex SheetName();
}

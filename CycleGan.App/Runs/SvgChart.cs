using System.Globalization;
using System.Net;
using System.Text;

namespace CycleGan.App.Runs;

/// <summary>One line of a chart: its name and points (x ascending).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>
/// Line charts as inline SVG for the run's index.html. Hand-made rather than drawn with a plotting library: a few
/// lines of text that any browser scales and renders, with no native rendering library or font to ship, and that
/// stays readable when the page is rewritten during training.
/// </summary>
public static class SvgChart
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

    /// <param name="markX">An x to mark with a dashed vertical line and <paramref name="markLabel"/> (the best epoch).</param>
    public static string Line(string title, string xLabel, IReadOnlyList<ChartSeries> series, double? markX = null, string? markLabel = null,
        int width = 640, int height = 300)
    {
        const int left = 64, right = 150, top = 28, bottom = 44;
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"17\" font-size=\"13\" font-weight=\"bold\">{Encode(title)}</text>");
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{height / 2}\">no data yet</text></svg>");
            return svg.ToString();
        }

        var (x0, x1) = Range(points.Select(p => p.X));
        var (y0, y1) = Range(points.Select(p => p.Y));
        double[] xTicks = Ticks(x0, x1), yTicks = Ticks(y0, y1);
        (x0, x1) = (Math.Min(x0, xTicks[0]), Math.Max(x1, xTicks[^1]));
        (y0, y1) = (Math.Min(y0, yTicks[0]), Math.Max(y1, yTicks[^1]));
        int plotW = width - left - right, plotH = height - top - bottom;
        double X(double x) => left + ((x - x0) / (x1 - x0) * plotW);
        double Y(double y) => top + plotH - ((y - y0) / (y1 - y0) * plotH);

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#888\"/>");
        foreach (double t in yTicks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{left + plotW}\" y1=\"{Y(t):0.#}\" y2=\"{Y(t):0.#}\" stroke=\"#eee\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{Y(t) + 4:0.#}\" text-anchor=\"end\">{Format(t)}</text>");
        }

        foreach (double t in xTicks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(t):0.#}\" x2=\"{X(t):0.#}\" y1=\"{top + plotH}\" y2=\"{top + plotH + 4}\" stroke=\"#888\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(t):0.#}\" y=\"{top + plotH + 16}\" text-anchor=\"middle\">{Format(t)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotW / 2)}\" y=\"{height - 8}\" text-anchor=\"middle\">{Encode(xLabel)}</text>");
        if (markX is { } m && double.IsFinite(m))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(m):0.#}\" x2=\"{X(m):0.#}\" y1=\"{top}\" y2=\"{top + plotH}\" stroke=\"#444\" stroke-dasharray=\"4 3\"/>");
            // the label goes on the side of the line with room for it
            bool leftOfLine = X(m) > left + (plotW / 2);
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{X(m) + (leftOfLine ? -3 : 3):0.#}\" y=\"{top + 12}\" text-anchor=\"{(leftOfLine ? "end" : "start")}\">{Encode(markLabel ?? string.Empty)}</text>");
        }

        for (int i = 0; i < series.Count; i++)
        {
            string colour = Palette[i % Palette.Length];
            var pts = series[i].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            string coords = string.Join(" ", pts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.##},{Y(p.Y):0.##}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{coords}\"/>");
            if (pts.Count <= 40)
            {
                foreach (var p in pts)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(p.X):0.##}\" cy=\"{Y(p.Y):0.##}\" r=\"2.5\" fill=\"{colour}\"/>");
                }
            }

            int ly = top + 8 + (i * 16);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left + plotW + 10}\" x2=\"{left + plotW + 28}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotW + 32}\" y=\"{ly + 4}\">{Encode(series[i].Name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>About five round tick values covering [lo, hi].</summary>
    public static double[] Ticks(double lo, double hi)
    {
        double span = hi - lo;
        double raw = span / 5;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw);
        double start = Math.Floor(lo / step) * step;
        var ticks = new List<double>();
        for (double t = start; t <= hi + (step * 1e-9); t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
        }

        if (ticks[^1] < hi)
        {
            ticks.Add(ticks[^1] + step);
        }

        return [.. ticks];
    }

    private static (double Lo, double Hi) Range(IEnumerable<double> values)
    {
        double lo = values.Min(), hi = values.Max();
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            double pad = Math.Max(1e-3, Math.Abs(hi) * 0.1);
            return (lo - pad, hi + pad);
        }

        return (lo, hi);
    }

    private static string Format(double v) =>
        Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-3 && v != 0) ? v.ToString("0.##E+0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

using System.Text.RegularExpressions;
using System.Xml.Linq;
using CycleGan.App.Evaluation;
using CycleGan.App.Runs;

namespace CycleGan.Tests.Evaluation;

public sealed class SvgChartTests
{
    [Fact]
    public void A_chart_is_well_formed_svg_with_one_line_per_series_and_the_mark()
    {
        var series = new[]
        {
            new ChartSeries("A->B <fake>", [(1, 30.5), (2, 20.25), (3, 25)]),
            new ChartSeries("B->A", [(1, 10), (2, double.NaN), (3, 12)]),
        };
        string svg = SvgChart.Line("FID & co", "epoch", series, markX: 3, markLabel: "best: epoch 3");
        XElement root = XElement.Parse(svg); // well-formed, names escaped
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = root.Elements(ns + "polyline").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(3, lines[0].Attribute("points")!.Value.Split(' ').Length);
        Assert.Equal(2, lines[1].Attribute("points")!.Value.Split(' ').Length); // the NaN point is left out
        Assert.Contains(root.Elements(ns + "text"), t => t.Value == "A->B <fake>");
        var mark = root.Elements(ns + "text").Single(t => t.Value == "best: epoch 3");
        Assert.Equal("end", mark.Attribute("text-anchor")!.Value); // at the right edge, the label sits left of its line
    }

    [Theory]
    [InlineData(0.013, 0.021)]
    [InlineData(-3, 250)]
    [InlineData(1, 48)]
    public void Ticks_are_round_and_cover_the_range(double lo, double hi)
    {
        double[] ticks = SvgChart.Ticks(lo, hi);
        Assert.InRange(ticks.Length, 3, 12);
        Assert.True(ticks[0] <= lo && ticks[^1] >= hi);
        double step = ticks[1] - ticks[0];
        Assert.Matches(new Regex("^(1|2|2.5|5)(E[-+]?\\d+)?$"), (step / Math.Pow(10, Math.Floor(Math.Log10(step)))).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + string.Empty);
    }

    [Fact]
    public void An_empty_chart_says_so()
    {
        Assert.Contains("no data yet", SvgChart.Line("KID", "epoch", [new ChartSeries("A->B", [])]));
    }
}

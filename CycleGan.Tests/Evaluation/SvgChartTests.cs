using System.Xml.Linq;
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

    public static TheoryData<double, double, double[]> TickCases() => new()
    {
        // span / 5 rounded up to 1, 2, 2.5 or 5 times a power of ten; from the multiple of the step at or below lo
        // to the first at or above hi
        { 0.013, 0.021, [0.012, 0.014, 0.016, 0.018, 0.020, 0.022] }, // raw step 0.0016 -> 0.002
        { -3, 250, [-100, 0, 100, 200, 300] }, // 50.6 -> 100
        { 1, 48, [0, 10, 20, 30, 40, 50] }, // 9.4 -> 10
        { 0, 12, [0, 2.5, 5, 7.5, 10, 12.5] }, // 2.4 -> 2.5
        { 2, 7, [2, 3, 4, 5, 6, 7] }, // 1 -> 1, ending exactly on hi
        { -0.5, -0.1, [-0.5, -0.4, -0.3, -0.2, -0.1] }, // 0.08 -> 0.1
    };

    [Theory]
    [MemberData(nameof(TickCases))]
    public void Ticks_are_round_steps_covering_the_range(double lo, double hi, double[] expected)
    {
        double[] ticks = SvgChart.Ticks(lo, hi);
        Assert.Equal(expected.Length, ticks.Length);
        for (int i = 0; i < ticks.Length; i++)
        {
            Assert.Equal(expected[i], ticks[i], 1e-12 * Math.Max(1, Math.Abs(expected[i])));
        }
    }

    [Fact]
    public void An_empty_chart_says_so()
    {
        Assert.Contains("no data yet", SvgChart.Line("KID", "epoch", [new ChartSeries("A->B", [])]));
    }
}

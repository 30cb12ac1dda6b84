using CycleGan.App.Training;

namespace CycleGan.Tests.Training;

public class SeededRandomTests
{
    [Fact]
    public void Same_seed_same_sequence_and_different_seed_differs()
    {
        var a = new SeededRandom(42);
        var b = new SeededRandom(42);
        var c = new SeededRandom(43);
        var xa = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(xa, Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
        Assert.NotEqual(xa, Enumerable.Range(0, 100).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void Restoring_the_state_continues_the_sequence_exactly()
    {
        var a = new SeededRandom(7);
        for (int i = 0; i < 37; i++)
        {
            a.NextDouble();
        }

        ulong[] saved = a.State;
        var expected = Enumerable.Range(0, 50).Select(_ => a.NextInt(1000)).ToArray();
        var resumed = SeededRandom.FromState(saved);
        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => resumed.NextInt(1000)));
    }

    [Fact]
    public void Doubles_are_uniform_in_unit_interval()
    {
        // 10 bins, 100k draws: chi-square with 9 degrees of freedom stays below 27.9 with probability 0.999.
        var r = new SeededRandom(1);
        var bins = new int[10];
        const int n = 100_000;
        for (int i = 0; i < n; i++)
        {
            double x = r.NextDouble();
            Assert.InRange(x, 0.0, 0.9999999999999999);
            bins[(int)(x * 10)]++;
        }

        double chi2 = bins.Sum(b => Math.Pow(b - (n / 10.0), 2) / (n / 10.0));
        Assert.True(chi2 < 27.9, $"chi-square {chi2}");
    }

    [Fact]
    public void NextInt_covers_its_range_only()
    {
        var r = new SeededRandom(5);
        var seen = Enumerable.Range(0, 2000).Select(_ => r.NextInt(7)).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 7).ToHashSet(), seen);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.NextInt(0));
    }

    [Fact]
    public void A_zero_state_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => SeededRandom.FromState([0, 0, 0, 0]));
    }
}

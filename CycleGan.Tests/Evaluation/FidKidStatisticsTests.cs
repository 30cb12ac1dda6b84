using System.Text.Json;
using CycleGan.App.Evaluation;
using CycleGan.App.Layers;

namespace CycleGan.Tests.Evaluation;

/// <summary>FID and KID against numpy/scipy (fid_stats.json from scripts/interop/make_fid_fixtures.py), against
/// closed forms, and KID against a plain-loop computation here.</summary>
public sealed class FidKidStatisticsTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(SplitMixWeights.Fixture("fid_stats.json"))).RootElement.GetProperty("cases");

    private static Tensor Matrix(JsonElement rows) =>
        torch.tensor(rows.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray(),
            [rows.GetArrayLength(), rows[0].GetArrayLength()], ScalarType.Float64);

    [Fact]
    public void Fid_matches_scipy_sqrtm_of_the_covariance_product()
    {
        Assert.Equal(2, Cases.GetArrayLength());
        foreach (var c in Cases.EnumerateArray())
        {
            using var scope = torch.NewDisposeScope();
            double expected = c.GetProperty("fid").GetDouble();
            double fid = FrechetDistance.Compute(Matrix(c.GetProperty("a")), Matrix(c.GetProperty("b")));
            Assert.True(Math.Abs(fid - expected) <= 1e-8 * Math.Abs(expected), $"FID {fid} vs scipy {expected}");
        }
    }

    [Fact]
    public void Fid_of_a_set_with_itself_is_zero_and_of_a_shifted_copy_is_the_squared_shift()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(5);
        Tensor a = torch.randn([50, 8], ScalarType.Float64, generator: g).matmul(torch.randn([8, 8], ScalarType.Float64, generator: g));
        double scale = FrechetDistance.Statistics(a).Covariance.trace().item<double>();
        Assert.True(Math.Abs(FrechetDistance.Compute(a, a)) < 1e-9 * scale);

        // same covariance, means apart by the shift: FID = |shift|^2
        Tensor shift = torch.linspace(-1, 2, 8, ScalarType.Float64);
        double squared = shift.dot(shift).item<double>();
        Assert.Equal(squared, FrechetDistance.Compute(a, a.Plus(shift)), 9);
    }

    [Fact]
    public void Fid_of_a_scaled_copy_has_the_closed_form()
    {
        // b = c a: S2 = c^2 S1, (S1 S2)^1/2 = c S1, so FID = (1 - c)^2 (|mu1|^2 + tr S1)
        using var scope = torch.NewDisposeScope();
        var g = new Generator(6);
        Tensor a = torch.randn([40, 6], ScalarType.Float64, generator: g).Plus(Scalars.Of(0.3)).matmul(torch.randn([6, 6], ScalarType.Float64, generator: g));
        var (mu, s) = FrechetDistance.Statistics(a);
        const double c = 2.5;
        double expected = (1 - c) * (1 - c) * (mu.dot(mu).item<double>() + s.trace().item<double>());
        double fid = FrechetDistance.Compute(a, a * Scalars.Of(c));
        Assert.True(Math.Abs(fid - expected) <= 1e-9 * expected, $"FID {fid} vs closed form {expected}");
    }

    [Fact]
    public void Fid_refuses_sets_of_different_dimension()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(torch.zeros(5, 3), torch.zeros(5, 4)));
        Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(torch.zeros(1, 3), torch.zeros(5, 3)));
    }

    [Fact]
    public void Kid_on_the_whole_sets_matches_numpy()
    {
        var c = Cases.EnumerateArray().Single(c => c.TryGetProperty("kid_full", out _));
        using var scope = torch.NewDisposeScope();
        Tensor a = Matrix(c.GetProperty("a")), b = Matrix(c.GetProperty("b"));
        double expected = c.GetProperty("kid_full").GetDouble();
        KidResult kid = KernelInceptionDistance.Compute(a, b, subsets: 3, subsetSize: 1000);
        Assert.Equal((int)a.shape[0], kid.SubsetSize); // capped by the data
        Assert.True(Math.Abs(kid.Mean - expected) <= 1e-9 * Math.Abs(expected), $"KID {kid.Mean} vs numpy {expected}");
        Assert.True(kid.Std <= 1e-9 * Math.Abs(expected)); // every subset is the whole set, reordered
    }

    [Fact]
    public void Kid_subsets_average_the_plain_loop_estimate_of_each_subset()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(8);
        Tensor x = torch.randn([12, 3], ScalarType.Float64, generator: g), y = torch.randn([9, 3], ScalarType.Float64, generator: g).Plus(Scalars.Of(0.5));
        double[,] xs = ToArray(x), ys = ToArray(y);

        // the subsets the implementation draws (same seed, same partial Fisher-Yates), scored by plain loops here
        var random = new Random(3);
        var estimates = new List<double>();
        for (int s = 0; s < 4; s++)
        {
            int[] ia = Draw(random, 12, 5), ib = Draw(random, 9, 5);
            estimates.Add(LoopMmd(xs, ia, ys, ib));
        }

        KidResult kid = KernelInceptionDistance.Compute(x, y, subsets: 4, subsetSize: 5, seed: 3);
        double mean = estimates.Average();
        double std = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / 4);
        Assert.Equal(5, kid.SubsetSize);
        Assert.Equal(mean, kid.Mean, 12);
        Assert.Equal(std, kid.Std, 12);
        Assert.True(std > 0);
    }

    [Fact]
    public void Kid_needs_two_images_per_set()
    {
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => KernelInceptionDistance.Compute(torch.zeros(1, 4), torch.zeros(5, 4)));
        Assert.Contains("at least 2 images", ex.Message);
    }

    private static int[] Draw(Random random, int n, int m)
    {
        var idx = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < m; i++)
        {
            int j = random.Next(i, n);
            (idx[i], idx[j]) = (idx[j], idx[i]);
        }

        return idx[..m];
    }

    private static double[,] ToArray(Tensor t)
    {
        var flat = t.contiguous().data<double>().ToArray();
        int rows = (int)t.shape[0], cols = (int)t.shape[1];
        var result = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                result[i, j] = flat[(i * cols) + j];
            }
        }

        return result;
    }

    private static double LoopMmd(double[,] x, int[] ia, double[,] y, int[] ib)
    {
        int m = ia.Length, d = x.GetLength(1);
        double K(double[,] p, int i, double[,] q, int j)
        {
            double dot = 0;
            for (int k = 0; k < d; k++)
            {
                dot += p[i, k] * q[j, k];
            }

            return Math.Pow((dot / d) + 1, 3);
        }

        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                if (i != j)
                {
                    xx += K(x, ia[i], x, ia[j]);
                    yy += K(y, ib[i], y, ib[j]);
                }

                xy += K(x, ia[i], y, ib[j]);
            }
        }

        return ((xx + yy) / (m * (m - 1))) - (2 * xy / (m * m));
    }
}

using System.Text.Json;
using CycleGan.App.Evaluation;
using Xunit.Abstractions;

namespace CycleGan.Tests.Evaluation;

/// <summary>
/// FID on small sets equals pytorch-fid's formula (numpy.cov, scipy.linalg.sqrtm of the covariance product, the 1e-6
/// fallback when that is not finite) within 1e-6 relative: fid_small.json from scripts/interop/make_fid_small_fixtures.py,
/// whose feature sets both sides generate from the SplitMix64 stream of the Inception fixtures.
/// </summary>
public sealed class FrechetDistanceFixtureTests(ITestOutputHelper output)
{
    private static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(SplitMixWeights.Fixture("fid_small.json"))).RootElement.GetProperty("cases");

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in Cases.EnumerateArray())
        {
            names.Add(c.GetProperty("name").GetString()!);
        }

        return names;
    }

    /// <summary>The script's feature sets: first x = u(s) + u(s+1)_i u(s+2)_j, second y = 0.8 u(s+3)^2 + 0.1 +
    /// u(s+4)_i u(s+5)_j, the listed features set to 0.</summary>
    public static Tensor Features(ulong seed, int n, int d, bool second, IEnumerable<int> dead)
    {
        ulong s = seed + (second ? 3UL : 0UL);
        var values = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            double factor = SplitMixWeights.Uniform(s + 1, i);
            for (int j = 0; j < d; j++)
            {
                double u = SplitMixWeights.Uniform(s, ((long)i * d) + j);
                double product = factor * SplitMixWeights.Uniform(s + 2, j);
                values[(i * d) + j] = second ? (0.8 * u * u) + 0.1 + product : u + product;
            }
        }

        foreach (int j in dead)
        {
            for (int i = 0; i < n; i++)
            {
                values[(i * d) + j] = 0.0;
            }
        }

        return torch.tensor(values, [n, d], ScalarType.Float64);
    }

    public static FrechetResult Ours(JsonElement c)
    {
        using var scope = torch.NewDisposeScope();
        ulong seed = c.GetProperty("seed").GetUInt64();
        int d = c.GetProperty("d").GetInt32();
        Tensor a = Features(seed, c.GetProperty("n1").GetInt32(), d, false, c.GetProperty("dead1").EnumerateArray().Select(e => e.GetInt32()));
        Tensor b = Features(seed, c.GetProperty("n2").GetInt32(), d, true, c.GetProperty("dead2").EnumerateArray().Select(e => e.GetInt32()));
        var (mu1, s1) = FrechetDistance.Statistics(a);
        var (mu2, s2) = FrechetDistance.Statistics(b);
        return FrechetDistance.Evaluate(mu1, s1, mu2, s2);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Fid_equals_pytorch_fids_formula_within_1e_6_relative(string name)
    {
        JsonElement c = Cases.EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        double expected = c.GetProperty("fid").GetDouble();
        FrechetResult ours = Ours(c);
        output.WriteLine($"{name}: ours {ours.Distance:R} (fallback {ours.Regularised}), pytorch-fid's formula {expected:R}, relative difference {(ours.Distance - expected) / expected:G3}");
        Assert.Equal(c.GetProperty("fallback").GetBoolean(), ours.Regularised);
        Assert.True(Math.Abs(ours.Distance - expected) <= 1e-6 * Math.Abs(expected), $"{name}: FID {ours.Distance:R}, pytorch-fid's formula {expected:R}");
    }

    [Fact]
    public void The_fixtures_cover_rank_deficient_nearly_singular_full_rank_and_both_fallback_outcomes()
    {
        var cases = Cases.EnumerateArray().ToList();
        Assert.Contains(cases, c => c.GetProperty("n1").GetInt32() < c.GetProperty("d").GetInt32());
        Assert.Contains(cases, c => c.GetProperty("n1").GetInt32() > c.GetProperty("d").GetInt32() && c.GetProperty("n1").GetInt32() < 1.2 * c.GetProperty("d").GetInt32());
        Assert.Contains(cases, c => c.GetProperty("n1").GetInt32() > 10 * c.GetProperty("d").GetInt32());
        Assert.Contains(cases, c => c.GetProperty("fallback").GetBoolean());
        Assert.Contains(cases, c => !c.GetProperty("fallback").GetBoolean() && c.GetProperty("dead1").GetArrayLength() > 0);
        Assert.Subset(cases.Select(c => c.GetProperty("n1").GetInt32()).ToHashSet(), new HashSet<int> { 24, 140, 2100 });
    }
}

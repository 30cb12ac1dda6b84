using CycleGan.App.Layers;

namespace CycleGan.App.Evaluation;

/// <summary>KID's result: the mean and (population) standard deviation of the per-subset MMD^2 estimates.</summary>
public sealed record KidResult(double Mean, double Std, int SubsetSize, int Subsets);

/// <summary>
/// The kernel inception distance (Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean
/// discrepancy with the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3, averaged over random subsets (default 100
/// subsets of 1000 from each set, the size capped by the smaller set), as torch-fidelity and the paper's code compute it.
/// Unbiased, so it can be slightly negative for sets from one distribution; unlike FID it needs no more images than
/// feature dimensions.
/// </summary>
public static class KernelInceptionDistance
{
    public const int DefaultSubsets = 100;
    public const int DefaultSubsetSize = 1000;

    public static KidResult Compute(Tensor x, Tensor y, int subsets = DefaultSubsets, int subsetSize = DefaultSubsetSize, int seed = 0)
    {
        if (x.dim() != 2 || y.dim() != 2 || x.shape[1] != y.shape[1])
        {
            throw new ArgumentException($"KID needs two [n, d] feature sets of one dimension, got [{string.Join(", ", x.shape)}] and [{string.Join(", ", y.shape)}]");
        }

        int m = (int)Math.Min(subsetSize, Math.Min(x.shape[0], y.shape[0]));
        if (m < 2)
        {
            throw new ArgumentException($"KID needs at least 2 images in each set, got {x.shape[0]} and {y.shape[0]}");
        }

        if (subsets < 1)
        {
            throw new ArgumentException($"KID needs at least one subset, got {subsets}", nameof(subsets));
        }

        using var scope = torch.NewDisposeScope();
        Tensor xd = x.to(ScalarType.Float64), yd = y.to(ScalarType.Float64);
        var random = new Random(seed);
        var estimates = new double[subsets];
        for (int s = 0; s < subsets; s++)
        {
            using var inner = torch.NewDisposeScope();
            Tensor a = xd.index_select(0, Choose(random, (int)x.shape[0], m));
            Tensor b = yd.index_select(0, Choose(random, (int)y.shape[0], m));
            estimates[s] = UnbiasedMmd2(a, b);
        }

        double mean = estimates.Average();
        double std = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / subsets);
        return new KidResult(mean, std, m, subsets);
    }

    /// <summary>MMD^2_u of two equal-sized sets: the kernel means within each set without the diagonal, minus twice the
    /// mean across.</summary>
    public static double UnbiasedMmd2(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        long m = a.shape[0], d = a.shape[1];
        Tensor Kernel(Tensor p, Tensor q) => (p.matmul(q.t()) / Scalars.Of(d)).Plus(Scalars.Of(1.0)).pow(Scalars.Of(3));
        Tensor kxx = Kernel(a, a), kyy = Kernel(b, b), kxy = Kernel(a, b);
        double within = ((kxx.sum() - kxx.trace()).Plus(kyy.sum()) - kyy.trace()).item<double>() / (m * (m - 1));
        return within - (2 * kxy.sum().item<double>() / (m * m));
    }

    private static Tensor Choose(Random random, int n, int m)
    {
        // a partial Fisher-Yates shuffle: m distinct indices
        var indices = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < m; i++)
        {
            int j = random.Next(i, n);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return torch.tensor(indices.Take(m).Select(i => (long)i).ToArray());
    }
}

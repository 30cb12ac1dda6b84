using CycleGan.App.Layers;

namespace CycleGan.App.Evaluation;

/// <summary>A Fréchet distance and whether pytorch-fid's fallback (1e-6 added to both covariance diagonals) was taken.</summary>
public sealed record FrechetResult(double Distance, bool Regularised);

/// <summary>
/// The Fréchet distance between Gaussians fitted to two feature sets (FID when the features are the FID Inception's),
/// |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^1/2) in float64, as pytorch-fid computes it for any N >= 2:
/// unbiased covariances (numpy.cov, divided by N - 1) and scipy.linalg.sqrtm of the product S1 S2.
/// <para>
/// Only the trace of that square root enters FID. scipy takes it from the Schur form T of S1 S2: the square root R of
/// the triangular T has diagonal sqrt(T_ii) (the principal root, complex for the tiny negative or complex eigenvalues
/// that rounding leaves where S1 S2 is singular), and pytorch-fid keeps the real part. So its trace is the sum of
/// Re sqrt(lambda) over the eigenvalues lambda of the computed, non-symmetric S1 S2, which is what this class sums. A
/// symmetric route (the eigenvalues of S1^1/2 S2 S1^1/2, negatives clamped to 0) agrees in exact arithmetic but sums
/// another rounding floor where the product is rank-deficient (N below the feature dimension): at d = 256, N = 24 it
/// was 9e-8 of the trace off scipy's where these eigenvalues were 2e-16 off, and the exact route that keeps only the N
/// nonzero eigenvalues was 1.2e-6 off pytorch-fid's FID at d = 2048, N = 24. Ours is within 3e-8 of it on every
/// fixture (scripts/interop/make_fid_small_fixtures.py, FrechetDistanceFixtureTests).
/// </para>
/// <para>
/// scipy's sqrtm fails (returns NaN, and pytorch-fid retries with 1e-6 on both diagonals) when two exactly zero
/// eigenvalues of S1 S2 are coupled inside one of its 64-wide blocks, which <see cref="ScipySquareRootFails"/> predicts
/// from the product's exactly zero rows and columns (features constant in one set and not the other).
/// </para>
/// </summary>
public static class FrechetDistance
{
    /// <summary>pytorch-fid's calculate_frechet_distance eps.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>pytorch-fid raises when an imaginary part of the square root's diagonal exceeds this.</summary>
    public const double ImaginaryTolerance = 1e-3;

    /// <summary>scipy.linalg.sqrtm's default blocksize.</summary>
    private const int ScipyBlockSize = 64;

    /// <summary>Means and covariances (unbiased, divided by n - 1, as numpy.cov) of the rows of [n, d] features.</summary>
    public static (Tensor Mean, Tensor Covariance) Statistics(Tensor features)
    {
        if (features.dim() != 2 || features.shape[0] < 2)
        {
            throw new ArgumentException($"Gaussian statistics need [n, d] features with n >= 2, got [{string.Join(", ", features.shape)}]", nameof(features));
        }

        Tensor x = features.to(ScalarType.Float64);
        Tensor mean = x.mean([0]);
        Tensor centred = x - mean;
        return (mean, centred.t().matmul(centred) / Scalars.Of(x.shape[0] - 1));
    }

    public static double Compute(Tensor a, Tensor b)
    {
        using var scope = torch.NewDisposeScope();
        var (mu1, s1) = Statistics(a);
        var (mu2, s2) = Statistics(b);
        return Evaluate(mu1, s1, mu2, s2).Distance;
    }

    public static double Compute(Tensor mu1, Tensor s1, Tensor mu2, Tensor s2) => Evaluate(mu1, s1, mu2, s2).Distance;

    public static FrechetResult Evaluate(Tensor mu1, Tensor s1, Tensor mu2, Tensor s2)
    {
        using var scope = torch.NewDisposeScope();
        long d = mu1.shape[^1];
        if (mu1.dim() != 1 || !mu1.shape.SequenceEqual(mu2.shape) || !s1.shape.SequenceEqual(new[] { d, d }) || !s2.shape.SequenceEqual(new[] { d, d }))
        {
            throw new ArgumentException(
                $"the two feature sets differ in dimension: means [{string.Join(", ", mu1.shape)}] and [{string.Join(", ", mu2.shape)}], " +
                $"covariances [{string.Join(", ", s1.shape)}] and [{string.Join(", ", s2.shape)}]");
        }

        mu1 = mu1.to(ScalarType.Float64);
        mu2 = mu2.to(ScalarType.Float64);
        s1 = s1.to(ScalarType.Float64);
        s2 = s2.to(ScalarType.Float64);
        foreach (var (name, t) in new[] { ("first mean", mu1), ("second mean", mu2), ("first covariance", s1), ("second covariance", s2) })
        {
            if (!t.isfinite().all().item<bool>())
            {
                throw new ArgumentException($"the {name} holds values that are not finite (NaN or infinity): no FID");
            }
        }

        Tensor diff = mu1 - mu2;
        double meanTerm = diff.dot(diff).item<double>();
        Tensor product = s1.matmul(s2);
        bool regularise = ScipySquareRootFails(product);
        if (regularise)
        {
            product = s1.Plus(Identity(d, Epsilon)).matmul(s2.Plus(Identity(d, Epsilon)));
        }

        double traceSqrt = TraceOfSquareRoot(product);
        return new FrechetResult(meanTerm + s1.trace().item<double>() + s2.trace().item<double>() - (2 * traceSqrt), regularise);
    }

    /// <summary>The real part of tr(sqrtm(P)): the sum of Re sqrt(lambda) over P's eigenvalues (principal roots). An
    /// imaginary part beyond pytorch-fid's tolerance means the inputs are no covariances: refused as pytorch-fid does.</summary>
    public static double TraceOfSquareRoot(Tensor product)
    {
        using var scope = torch.NewDisposeScope();
        Tensor roots = linalg.eigvals(product).sqrt();
        double imaginary = roots.imag.abs().max().item<double>();
        if (imaginary > ImaginaryTolerance)
        {
            throw new ArgumentException(
                $"the covariance product has an eigenvalue whose square root has imaginary part {imaginary:G3} " +
                $"(pytorch-fid's limit is {ImaginaryTolerance:G}): the statistics are not those of real feature sets");
        }

        return roots.real.sum().item<double>();
    }

    /// <summary>
    /// Whether scipy.linalg.sqrtm(P) (scipy 1.10's blocked Schur method) comes back non-finite. LAPACK's gees first
    /// permutes P: rows that are exactly zero go to the bottom of the Schur form, then columns that are exactly zero to
    /// the top, each with eigenvalue 0. scipy's within-block recurrence divides by R_ii + R_jj and gives up when that is
    /// 0 while the entry to solve for is not; that happens when a zero column (a feature constant in the second set
    /// but not the first) and a zero row (constant in the first but not the second) land in one 64-wide block. Between
    /// blocks LAPACK's Sylvester solver perturbs the zero divisor and the result stays finite. Products without exact
    /// zero rows or columns (features that vary in both sets) never fail.
    /// </summary>
    public static bool ScipySquareRootFails(Tensor product)
    {
        using var scope = torch.NewDisposeScope();
        int n = (int)product.shape[0];
        Tensor zero = product.eq(Scalars.Of(0.0));
        bool[] zeroRow = zero.all(1).data<bool>().ToArray(), zeroColumn = zero.all(0).data<bool>().ToArray();
        int top = Enumerable.Range(0, n).Count(i => zeroColumn[i] && !zeroRow[i]);
        int bottom = zeroRow.Count(z => z);
        int coupledBottom = Enumerable.Range(0, n).Count(i => zeroRow[i] && !zeroColumn[i]);
        if (top == 0 || coupledBottom == 0)
        {
            return false;
        }

        // scipy's blocks: n / 64 of them (at least one), the first ones a row shorter when n does not divide evenly
        int blocks = Math.Max(n / ScipyBlockSize, 1);
        int small = n / blocks, large = n % blocks, shortBlocks = blocks - large;
        int Block(int position) => position < shortBlocks * small ? position / small : shortBlocks + ((position - (shortBlocks * small)) / (small + 1));

        // the top zeros fill positions [0, top), the bottom ones [n - bottom, n); they meet when a block holds both
        return Block(top - 1) >= Block(n - bottom);
    }

    private static Tensor Identity(long d, double value) => torch.eye(d, dtype: ScalarType.Float64) * Scalars.Of(value);
}

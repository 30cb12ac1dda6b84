using CycleGan.App.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.App.Evaluation;

/// <summary>
/// The Fréchet distance between Gaussians fitted to two feature sets (FID when the features are the FID Inception's):
/// |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1 S2)^1/2), everything in float64.
/// The trace of the matrix square root is taken without a general (non-symmetric) square root: S1 S2 is similar to
/// the symmetric positive semi-definite M = S1^1/2 S2 S1^1/2 (S1^1/2 from a symmetric eigendecomposition of S1), so
/// tr((S1 S2)^1/2) = sum of sqrt(eigenvalues of M), from a second symmetric eigendecomposition. Eigenvalues that
/// rounding leaves slightly negative count as zero. pytorch-fid takes scipy.linalg.sqrtm of S1 S2 instead; the tests
/// compare with that (scripts/interop/make_fid_fixtures.py) and with closed forms.
/// </summary>
public static class FrechetDistance
{
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
        return Compute(mu1, s1, mu2, s2);
    }

    public static double Compute(Tensor mu1, Tensor s1, Tensor mu2, Tensor s2)
    {
        using var scope = torch.NewDisposeScope();
        if (!mu1.shape.SequenceEqual(mu2.shape) || !s1.shape.SequenceEqual(s2.shape))
        {
            throw new ArgumentException($"the two feature sets differ in dimension: {mu1.shape[0]} and {mu2.shape[0]}");
        }

        Tensor diff = mu1 - mu2;
        double meanTerm = diff.dot(diff).item<double>();
        Tensor sqrtS1 = SymmetricSquareRoot(s1);
        Tensor m = sqrtS1.matmul(s2).matmul(sqrtS1);
        m = m.Plus(m.t()) / Scalars.Of(2.0); // exact symmetry, which rounding in the products breaks
        double traceSqrt = linalg.eigvalsh(m).clamp_min(Scalars.Of(0.0)).sqrt().sum().item<double>();
        return meanTerm + s1.trace().item<double>() + s2.trace().item<double>() - (2 * traceSqrt);
    }

    /// <summary>The symmetric positive semi-definite square root of a symmetric matrix (negative eigenvalues as 0).</summary>
    public static Tensor SymmetricSquareRoot(Tensor s)
    {
        var (values, vectors) = linalg.eigh(s.Plus(s.t()) / Scalars.Of(2.0));
        return (vectors * values.clamp_min(Scalars.Of(0.0)).sqrt()).matmul(vectors.t());
    }
}

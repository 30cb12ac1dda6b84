using CycleGan.Kernels;

namespace CycleGan.App.Verification.Catalogue;

public static class Comparisons
{
    /// <summary>Compares a TorchSharp result with the reference's, by the measure of <see cref="Tolerances"/>.</summary>
    public static Comparison Compare(string quantity, RefTensor torchValue, RefTensor reference, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(torchValue);
        ArgumentNullException.ThrowIfNull(reference);
        if (!torchValue.SameShape(reference))
        {
            return new Comparison(quantity, double.PositiveInfinity, double.PositiveInfinity, tolerance, false,
                $"shape [{string.Join(",", torchValue.Shape)}] vs reference [{string.Join(",", reference.Shape)}]");
        }

        double maxAbs = 0, scale = 0;
        bool nan = false;
        for (int i = 0; i < reference.Count; i++)
        {
            double t = torchValue.Data[i], r = reference.Data[i];
            if (double.IsNaN(t) != double.IsNaN(r) || double.IsInfinity(t) != double.IsInfinity(r))
            {
                nan = true;
                continue;
            }

            if (double.IsNaN(r) || double.IsInfinity(r))
            {
                continue;
            }

            maxAbs = Math.Max(maxAbs, Math.Abs(t - r));
            scale = Math.Max(scale, Math.Abs(r));
        }

        double rel = maxAbs / Math.Max(scale, 1e-30);
        if (nan)
        {
            return new Comparison(quantity, double.NaN, double.NaN, tolerance, false, "non-finite values differ");
        }

        return new Comparison(quantity, maxAbs, rel, tolerance, rel <= tolerance);
    }

    /// <summary>Exact equality, for integer results such as pooling indices or dropout masks.</summary>
    public static Comparison Exact(string quantity, RefTensor torchValue, RefTensor reference)
    {
        Comparison c = Compare(quantity, torchValue, reference, 0);
        return c with { Passed = c.MaxAbsError == 0, Tolerance = 0 };
    }
}

namespace CycleGan.Kernels;

/// <summary>Special functions the BCL lacks, to float64 accuracy.</summary>
public static class SpecialFunctions
{
    /// <summary>
    /// erf(x) by the everywhere-convergent series (2/sqrt(pi)) exp(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)); its terms
    /// are all positive, so there is no cancellation. Beyond |x| = 6, erf is +-1 to double precision (erfc(6) ~ 2e-17).
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double ax = Math.Abs(x);
        if (ax >= 6)
        {
            return Math.Sign(x);
        }

        double twoX2 = 2 * ax * ax;
        double term = ax, sum = ax;
        for (int n = 1; n < 500; n++)
        {
            term *= twoX2 / ((2 * n) + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        double result = 2 / Math.Sqrt(Math.PI) * Math.Exp(-ax * ax) * sum;
        return x < 0 ? -result : result;
    }
}

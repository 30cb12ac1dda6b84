using CycleGan.Kernels;

namespace CycleGan.Tests.Reference;

/// <summary>
/// Central finite differences of L = sum(f(x) * g) with respect to one input, used to check a kernel's analytic
/// backward without trusting either TorchSharp or the kernel itself.
/// </summary>
public static class FiniteDifference
{
    /// <summary>
    /// Numeric gradient of sum(forward(inputs) * gradOutput) with respect to inputs[which].
    /// The input is perturbed in place and restored.
    /// </summary>
    public static RefTensor Gradient(Func<RefTensor[], RefTensor> forward, RefTensor[] inputs, int which, RefTensor gradOutput, double step = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(gradOutput);
        RefTensor x = inputs[which];
        var grad = RefTensor.ZerosLike(x);
        for (int i = 0; i < x.Count; i++)
        {
            double saved = x.Data[i];
            x.Data[i] = saved + step;
            double plus = Dot(forward(inputs), gradOutput);
            x.Data[i] = saved - step;
            double minus = Dot(forward(inputs), gradOutput);
            x.Data[i] = saved;
            grad.Data[i] = (plus - minus) / (2 * step);
        }

        return grad;
    }

    public static double Dot(RefTensor a, RefTensor b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"{a} and {b} differ in size", nameof(b));
        }

        double sum = 0;
        for (int i = 0; i < a.Count; i++)
        {
            sum += a.Data[i] * b.Data[i];
        }

        return sum;
    }

    /// <summary>Largest |a - b| divided by the largest |b|: the relative error measure every cross-check uses.</summary>
    public static double MaxRelativeError(RefTensor actual, RefTensor expected)
    {
        if (!actual.SameShape(expected))
        {
            return double.PositiveInfinity;
        }

        double maxAbs = 0, scale = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(actual.Data[i] - expected.Data[i]));
            scale = Math.Max(scale, Math.Abs(expected.Data[i]));
        }

        return double.IsNaN(maxAbs) ? double.NaN : maxAbs / Math.Max(scale, 1e-300);
    }
}

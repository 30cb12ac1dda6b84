namespace CycleGan.Kernels;

/// <summary>Dropout given its mask (1 keeps, 0 drops): y = mask * x / (1 - p), and the same for the gradient; p = 1 gives zeros.</summary>
public static class DropoutKernel
{
    public static RefTensor Forward(RefTensor x, RefTensor mask, double p) => Apply(x, mask, p);

    public static RefTensor Backward(RefTensor gradOutput, RefTensor mask, double p) => Apply(gradOutput, mask, p);

    /// <summary>The two-sided interval that holds a Binomial(n, p) count with probability 99.9% (normal approximation, z = 3.29).</summary>
    public static (double Low, double High) CountInterval(int n, double p)
    {
        double half = 3.29 * Math.Sqrt(n * p * (1 - p));
        return ((n * p) - half, (n * p) + half);
    }

    private static RefTensor Apply(RefTensor t, RefTensor mask, double p)
    {
        var y = RefTensor.ZerosLike(t);
        double scale = p >= 1 ? 0 : 1 / (1 - p);
        for (int i = 0; i < t.Count; i++)
        {
            y.Data[i] = mask.Data[i] * t.Data[i] * scale;
        }

        return y;
    }
}

namespace CycleGan.Kernels;

/// <summary>
/// Element-wise activations: y = f(x) and dL/dx = f'(x) * dL/dy. Derivatives at kinks follow PyTorch's choice
/// (the one-sided value PyTorch's backward uses).
/// </summary>
public static class PointwiseKernels
{
    public const double SeluAlpha = 1.6732632423543772848170429916717;
    public const double SeluScale = 1.0507009873554804934193349852946;

    public static RefTensor Forward(RefTensor input, Func<double, double> f)
    {
        var output = RefTensor.ZerosLike(input);
        for (int i = 0; i < input.Count; i++)
        {
            output.Data[i] = f(input.Data[i]);
        }

        return output;
    }

    public static RefTensor Backward(RefTensor input, RefTensor gradOutput, Func<double, double> derivative)
    {
        var grad = RefTensor.ZerosLike(input);
        for (int i = 0; i < input.Count; i++)
        {
            grad.Data[i] = derivative(input.Data[i]) * gradOutput.Data[i];
        }

        return grad;
    }

    /// <summary>ReLU: max(0, x); the derivative is 1 for x &gt; 0 and 0 otherwise (PyTorch's choice at 0).</summary>
    public static double Relu(double x) => x > 0 ? x : 0;

    public static double ReluGrad(double x) => x > 0 ? 1 : 0;

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double SigmoidGrad(double x)
    {
        double s = Sigmoid(x);
        return s * (1 - s);
    }

    public static double TanhGrad(double x)
    {
        double t = Math.Tanh(x);
        return 1 - (t * t);
    }

    public static Func<double, double> LeakyRelu(double slope) => x => x > 0 ? x : slope * x;

    public static Func<double, double> LeakyReluGrad(double slope) => x => x > 0 ? 1 : slope;

    public static double Relu6(double x) => Math.Min(Math.Max(0, x), 6);

    public static double Relu6Grad(double x) => x > 0 && x < 6 ? 1 : 0;

    public static double Selu(double x) => SeluScale * (x > 0 ? x : SeluAlpha * (Math.Exp(x) - 1));

    public static double SeluGrad(double x) => SeluScale * (x > 0 ? 1 : SeluAlpha * Math.Exp(x));

    /// <summary>GELU, exact: x * Phi(x) with Phi the standard normal distribution function.</summary>
    public static double Gelu(double x) => x * 0.5 * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)));

    public static double GeluGrad(double x) =>
        (0.5 * (1 + SpecialFunctions.Erf(x / Math.Sqrt(2)))) + (x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI));

    private static readonly double TanhScale = Math.Sqrt(2 / Math.PI);
    private const double Cubic = 0.044715;

    /// <summary>GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).</summary>
    public static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(TanhScale * (x + (Cubic * x * x * x))));

    public static double GeluTanhGrad(double x)
    {
        double t = Math.Tanh(TanhScale * (x + (Cubic * x * x * x)));
        return (0.5 * (1 + t)) + (0.5 * x * (1 - (t * t)) * TanhScale * (1 + (3 * Cubic * x * x)));
    }
}

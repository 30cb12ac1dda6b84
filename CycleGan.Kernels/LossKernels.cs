namespace CycleGan.Kernels;

/// <summary>L1, MSE and cross-entropy losses with reductions none/mean/sum, forward and backward.</summary>
public static class LossKernels
{
    public static RefTensor Reduce(RefTensor perElement, string reduction) => reduction switch
    {
        "none" => perElement,
        "sum" => RefTensor.Scalar(perElement.Data.Sum()),
        _ => RefTensor.Scalar(perElement.Data.Sum() / perElement.Count),
    };

    /// <summary>The upstream gradient of each element of the unreduced loss.</summary>
    private static double Upstream(RefTensor gradOutput, string reduction, int i, int count) => reduction switch
    {
        "none" => gradOutput.Data[i],
        "sum" => gradOutput.Data[0],
        _ => gradOutput.Data[0] / count,
    };

    public static RefTensor L1Forward(RefTensor x, RefTensor t, string reduction) =>
        Reduce(Elementwise(x, t, d => Math.Abs(d)), reduction);

    /// <summary>d|x - t|/dx = sign(x - t), 0 where equal; the target's gradient is the negative.</summary>
    public static (RefTensor Input, RefTensor Target) L1Backward(RefTensor x, RefTensor t, string reduction, RefTensor gradOutput) =>
        ElementwiseBackward(x, t, reduction, gradOutput, d => Math.Sign(d));

    public static RefTensor MseForward(RefTensor x, RefTensor t, string reduction) =>
        Reduce(Elementwise(x, t, d => d * d), reduction);

    public static (RefTensor Input, RefTensor Target) MseBackward(RefTensor x, RefTensor t, string reduction, RefTensor gradOutput) =>
        ElementwiseBackward(x, t, reduction, gradOutput, d => 2 * d);

    private static RefTensor Elementwise(RefTensor x, RefTensor t, Func<double, double> f)
    {
        var y = RefTensor.ZerosLike(x);
        for (int i = 0; i < x.Count; i++)
        {
            y.Data[i] = f(x.Data[i] - t.Data[i]);
        }

        return y;
    }

    private static (RefTensor, RefTensor) ElementwiseBackward(RefTensor x, RefTensor t, string reduction, RefTensor gradOutput, Func<double, double> derivative)
    {
        var gx = RefTensor.ZerosLike(x);
        var gt = RefTensor.ZerosLike(x);
        for (int i = 0; i < x.Count; i++)
        {
            double d = derivative(x.Data[i] - t.Data[i]) * Upstream(gradOutput, reduction, i, x.Count);
            gx.Data[i] = d;
            gt.Data[i] = -d;
        }

        return (gx, gt);
    }

    public sealed record CrossEntropyArgs(double[]? Weight = null, long IgnoreIndex = -100, string Reduction = "mean", double LabelSmoothing = 0);

    /// <summary>
    /// Cross entropy over (N, C, positions...) logits. Each counted position has a coefficient vector q over classes and
    /// the loss -sum_c q_c log softmax(x)_c: for a class index y, q_c = (1 - eps) w_y [c = y] + eps w_c / C; for class
    /// probabilities t, q_c = w_c ((1 - eps) t_c + eps / C). The mean divides by the summed w_y of counted positions
    /// (index targets) or by the number of positions (probability targets). The gradient is (p sum q - q) per position.
    /// </summary>
    public static (RefTensor Loss, RefTensor GradInput) CrossEntropy(RefTensor x, RefTensor target, bool probabilities, CrossEntropyArgs a, RefTensor? gradOutput)
    {
        int n = x.Shape[0], c = x.Shape[1];
        int positions = x.Count / (n * c);
        int samples = n * positions;
        var perPosition = new double[samples];
        var q = new double[samples][];
        var logp = new double[samples][];
        double denominator = 0;
        for (int s = 0; s < samples; s++)
        {
            int b = s / positions, pos = s % positions;
            double[] logits = Enumerable.Range(0, c).Select(k => x.Data[(((b * c) + k) * positions) + pos]).ToArray();
            double max = logits.Max();
            double logSum = Math.Log(logits.Sum(v => Math.Exp(v - max))) + max;
            logp[s] = logits.Select(v => v - logSum).ToArray();
            q[s] = new double[c];
            if (probabilities)
            {
                for (int k = 0; k < c; k++)
                {
                    double t = target.Data[(((b * c) + k) * positions) + pos];
                    q[s][k] = (a.Weight?[k] ?? 1) * (((1 - a.LabelSmoothing) * t) + (a.LabelSmoothing / c));
                }

                denominator += 1;
            }
            else
            {
                long y = (long)target.Data[s];
                if (y == a.IgnoreIndex)
                {
                    continue;
                }

                for (int k = 0; k < c; k++)
                {
                    q[s][k] = a.LabelSmoothing * (a.Weight?[k] ?? 1) / c;
                }

                q[s][y] += (1 - a.LabelSmoothing) * (a.Weight?[y] ?? 1);
                denominator += a.Weight?[y] ?? 1;
            }

            perPosition[s] = -Enumerable.Range(0, c).Sum(k => q[s][k] * logp[s][k]);
        }

        RefTensor loss = a.Reduction switch
        {
            "none" => new RefTensor(x.Shape.Where((_, i) => i != 1).ToArray(), perPosition),
            "sum" => RefTensor.Scalar(perPosition.Sum()),
            _ => RefTensor.Scalar(perPosition.Sum() / denominator),
        };

        var grad = RefTensor.ZerosLike(x);
        if (gradOutput is not null)
        {
            for (int s = 0; s < samples; s++)
            {
                double upstream = a.Reduction switch
                {
                    "none" => gradOutput.Data[s],
                    "sum" => gradOutput.Data[0],
                    _ => gradOutput.Data[0] / denominator,
                };
                double qSum = q[s].Sum();
                int b = s / positions, pos = s % positions;
                for (int k = 0; k < c; k++)
                {
                    grad.Data[(((b * c) + k) * positions) + pos] = upstream * ((Math.Exp(logp[s][k]) * qSum) - q[s][k]);
                }
            }
        }

        return (loss, grad);
    }
}

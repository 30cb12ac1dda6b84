namespace CycleGan.Kernels;

/// <summary>y[..., o] = b[o] + sum_i x[..., i] W[o, i]; the backward: dx = g W, dW = g^T x, db = sum g.</summary>
public static class LinearKernel
{
    public static RefTensor Forward(RefTensor x, RefTensor weight, RefTensor? bias)
    {
        int fin = weight.Shape[1], fout = weight.Shape[0], rows = x.Count / fin;
        var shape = x.Shape.ToArray();
        shape[^1] = fout;
        var y = new RefTensor(shape);
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < fout; o++)
            {
                double sum = bias is null ? 0 : bias.Data[o];
                for (int i = 0; i < fin; i++)
                {
                    sum += x.Data[(r * fin) + i] * weight.Data[(o * fin) + i];
                }

                y.Data[(r * fout) + o] = sum;
            }
        }

        return y;
    }

    public static (RefTensor GradInput, RefTensor GradWeight, RefTensor GradBias) Backward(RefTensor x, RefTensor weight, RefTensor gradOutput)
    {
        int fin = weight.Shape[1], fout = weight.Shape[0], rows = x.Count / fin;
        var gx = RefTensor.ZerosLike(x);
        var gw = RefTensor.ZerosLike(weight);
        var gb = new RefTensor(fout);
        for (int r = 0; r < rows; r++)
        {
            for (int o = 0; o < fout; o++)
            {
                double g = gradOutput.Data[(r * fout) + o];
                gb.Data[o] += g;
                for (int i = 0; i < fin; i++)
                {
                    gx.Data[(r * fin) + i] += g * weight.Data[(o * fin) + i];
                    gw.Data[(o * fin) + i] += g * x.Data[(r * fin) + i];
                }
            }
        }

        return (gx, gw, gb);
    }
}

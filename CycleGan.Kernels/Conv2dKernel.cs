namespace CycleGan.Kernels;

/// <summary>
/// Direct 2-D convolution (cross-correlation, as PyTorch) of an NCHW input with an (out, in/groups, kh, kw) weight,
/// zero padding (top, bottom, left, right), stride, dilation and groups, and its backward: gradients of the input,
/// the weight and the bias, written from y[n,o,i,j] = b[o] + sum_{c,u,v} w[o,c,u,v] x[n, g*Cg + c, i*s - pt + u*d, j*s - pl + v*d].
/// Other padding modes pad with <see cref="Pad2dKernel"/> first.
/// </summary>
public static class Conv2dKernel
{
    public sealed record Args(int StrideH, int StrideW, int PadTop, int PadBottom, int PadLeft, int PadRight, int DilationH, int DilationW, int Groups);

    public static (int H, int W) OutputSize(int h, int w, int kh, int kw, Args a) =>
        (((h + a.PadTop + a.PadBottom - (a.DilationH * (kh - 1)) - 1) / a.StrideH) + 1,
         ((w + a.PadLeft + a.PadRight - (a.DilationW * (kw - 1)) - 1) / a.StrideW) + 1);

    public static RefTensor Forward(RefTensor x, RefTensor weight, RefTensor? bias, Args a)
    {
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int cout = weight.Shape[0], cg = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        if (cg * a.Groups != cin)
        {
            throw new ArgumentException($"weight expects {cg * a.Groups} input channels, input has {cin}", nameof(weight));
        }

        var (oh, ow) = OutputSize(h, w, kh, kw, a);
        var y = new RefTensor(n, cout, oh, ow);
        if (bias is not null)
        {
            ForEachOutput(y.Shape, (b, o, i, j) => y[b, o, i, j] = bias.Data[o]);
        }

        Visit(x.Shape, weight.Shape, oh, ow, a, (b, o, i, j, c, ci, iy, ix, u, v) => y[b, o, i, j] += weight[o, c, u, v] * x[b, ci, iy, ix]);
        return y;
    }

    public static (RefTensor GradInput, RefTensor GradWeight, RefTensor GradBias) Backward(RefTensor x, RefTensor weight, RefTensor gradOutput, Args a)
    {
        var gx = RefTensor.ZerosLike(x);
        var gw = RefTensor.ZerosLike(weight);
        var gb = new RefTensor(weight.Shape[0]);
        ForEachOutput(gradOutput.Shape, (b, o, i, j) => gb.Data[o] += gradOutput[b, o, i, j]);
        Visit(x.Shape, weight.Shape, gradOutput.Shape[2], gradOutput.Shape[3], a, (b, o, i, j, c, ci, iy, ix, u, v) =>
        {
            double gy = gradOutput[b, o, i, j];
            gx[b, ci, iy, ix] += gy * weight[o, c, u, v];
            gw[o, c, u, v] += gy * x[b, ci, iy, ix];
        });
        return (gx, gw, gb);
    }

    private static void ForEachOutput(int[] shape, Action<int, int, int, int> action)
    {
        for (int b = 0; b < shape[0]; b++)
        {
            for (int o = 0; o < shape[1]; o++)
            {
                for (int i = 0; i < shape[2]; i++)
                {
                    for (int j = 0; j < shape[3]; j++)
                    {
                        action(b, o, i, j);
                    }
                }
            }
        }
    }

    /// <summary>x[b, ci, iy, ix] meets w[o, c, u, v] in y[b, o, i, j], where ci = g*Cg + c; out-of-range (padding) taps are skipped.</summary>
    private delegate void Tap(int b, int o, int i, int j, int c, int ci, int iy, int ix, int u, int v);

    private static void Visit(int[] xShape, int[] weightShape, int oh, int ow, Args a, Tap tap)
    {
        int h = xShape[2], w = xShape[3];
        int cout = weightShape[0], cg = weightShape[1], kh = weightShape[2], kw = weightShape[3];
        int og = cout / a.Groups;
        ForEachOutput([xShape[0], cout, oh, ow], (b, o, i, j) =>
        {
            int g = o / og;
            for (int c = 0; c < cg; c++)
            {
                for (int u = 0; u < kh; u++)
                {
                    int iy = (i * a.StrideH) - a.PadTop + (u * a.DilationH);
                    if (iy < 0 || iy >= h)
                    {
                        continue;
                    }

                    for (int v = 0; v < kw; v++)
                    {
                        int ix = (j * a.StrideW) - a.PadLeft + (v * a.DilationW);
                        if (ix >= 0 && ix < w)
                        {
                            tap(b, o, i, j, c, (g * cg) + c, iy, ix, u, v);
                        }
                    }
                }
            }
        });
    }
}

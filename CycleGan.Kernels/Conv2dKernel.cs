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
        int og = cout / a.Groups;
        if (cg * a.Groups != cin)
        {
            throw new ArgumentException($"weight expects {cg * a.Groups} input channels, input has {cin}", nameof(weight));
        }

        var (oh, ow) = OutputSize(h, w, kh, kw, a);
        var y = new RefTensor(n, cout, oh, ow);
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < cout; o++)
            {
                int g = o / og;
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = bias is null ? 0 : bias.Data[o];
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
                                        sum += weight[o, c, u, v] * x[b, (g * cg) + c, iy, ix];
                                    }
                                }
                            }
                        }

                        y[b, o, i, j] = sum;
                    }
                }
            }
        }

        return y;
    }

    public static (RefTensor GradInput, RefTensor GradWeight, RefTensor GradBias) Backward(RefTensor x, RefTensor weight, RefTensor gradOutput, Args a)
    {
        int n = x.Shape[0], h = x.Shape[2], w = x.Shape[3];
        int cout = weight.Shape[0], cg = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        int og = cout / a.Groups;
        int oh = gradOutput.Shape[2], ow = gradOutput.Shape[3];
        var gx = RefTensor.ZerosLike(x);
        var gw = RefTensor.ZerosLike(weight);
        var gb = new RefTensor(cout);
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < cout; o++)
            {
                int g = o / og;
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        double gy = gradOutput[b, o, i, j];
                        gb.Data[o] += gy;
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
                                        int ci = (g * cg) + c;
                                        gx[b, ci, iy, ix] += gy * weight[o, c, u, v];
                                        gw[o, c, u, v] += gy * x[b, ci, iy, ix];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        return (gx, gw, gb);
    }
}

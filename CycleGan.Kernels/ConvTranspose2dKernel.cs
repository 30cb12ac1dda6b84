namespace CycleGan.Kernels;

/// <summary>
/// Transposed convolution, written from its definition as the scatter of every input pixel through the kernel:
/// y[n, g*Og + o, i*s - p + u*d, j*s - p + v*d] += x[n, c, i, j] * w[c, o, u, v] for c in group g, trimmed to the output
/// size (H-1)*s - 2p + d*(k-1) + output_padding + 1; plus the bias. The backward gathers along the same paths.
/// </summary>
public static class ConvTranspose2dKernel
{
    public sealed record Args(int StrideH, int StrideW, int PadH, int PadW, int OutPadH, int OutPadW, int DilationH, int DilationW, int Groups);

    public static (int H, int W) OutputSize(int h, int w, int kh, int kw, Args a) =>
        (((h - 1) * a.StrideH) - (2 * a.PadH) + (a.DilationH * (kh - 1)) + a.OutPadH + 1,
         ((w - 1) * a.StrideW) - (2 * a.PadW) + (a.DilationW * (kw - 1)) + a.OutPadW + 1);

    public static RefTensor Forward(RefTensor x, RefTensor weight, RefTensor? bias, Args a)
    {
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int og = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        int cg = cin / a.Groups, cout = og * a.Groups;
        var (oh, ow) = OutputSize(h, w, kh, kw, a);
        var y = new RefTensor(n, cout, oh, ow);
        Visit(n, cin, h, w, og, kh, kw, cg, oh, ow, a, (b, c, i, j, oc, oi, oj, o, u, v) =>
            y[b, oc, oi, oj] += x[b, c, i, j] * weight[c, o, u, v]);
        if (bias is not null)
        {
            for (int b = 0; b < n; b++)
            {
                for (int o = 0; o < cout; o++)
                {
                    for (int i = 0; i < oh; i++)
                    {
                        for (int j = 0; j < ow; j++)
                        {
                            y[b, o, i, j] += bias.Data[o];
                        }
                    }
                }
            }
        }

        return y;
    }

    public static (RefTensor GradInput, RefTensor GradWeight, RefTensor GradBias) Backward(RefTensor x, RefTensor weight, RefTensor gradOutput, Args a)
    {
        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int og = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        int cg = cin / a.Groups, cout = og * a.Groups;
        int oh = gradOutput.Shape[2], ow = gradOutput.Shape[3];
        var gx = RefTensor.ZerosLike(x);
        var gw = RefTensor.ZerosLike(weight);
        var gb = new RefTensor(cout);
        Visit(n, cin, h, w, og, kh, kw, cg, oh, ow, a, (b, c, i, j, oc, oi, oj, o, u, v) =>
        {
            double gy = gradOutput[b, oc, oi, oj];
            gx[b, c, i, j] += gy * weight[c, o, u, v];
            gw[c, o, u, v] += gy * x[b, c, i, j];
        });
        for (int b = 0; b < n; b++)
        {
            for (int o = 0; o < cout; o++)
            {
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        gb.Data[o] += gradOutput[b, o, i, j];
                    }
                }
            }
        }

        return (gx, gw, gb);
    }

    private delegate void Path(int b, int c, int i, int j, int outChannel, int oi, int oj, int o, int u, int v);

    private static void Visit(int n, int cin, int h, int w, int og, int kh, int kw, int cg, int oh, int ow, Args a, Path path)
    {
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < cin; c++)
            {
                int g = c / cg;
                for (int i = 0; i < h; i++)
                {
                    for (int j = 0; j < w; j++)
                    {
                        for (int o = 0; o < og; o++)
                        {
                            for (int u = 0; u < kh; u++)
                            {
                                int oi = (i * a.StrideH) - a.PadH + (u * a.DilationH);
                                if (oi < 0 || oi >= oh)
                                {
                                    continue;
                                }

                                for (int v = 0; v < kw; v++)
                                {
                                    int oj = (j * a.StrideW) - a.PadW + (v * a.DilationW);
                                    if (oj >= 0 && oj < ow)
                                    {
                                        path(b, c, i, j, (g * og) + o, oi, oj, o, u, v);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

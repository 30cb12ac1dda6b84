namespace CycleGan.Kernels;

/// <summary>
/// Max, average and adaptive pooling over NCHW inputs, forward and backward. Windows are enumerated explicitly; the
/// backward sends each output's gradient to the window's maximum (max) or spreads it over the window (average).
/// </summary>
public static class PoolingKernels
{
    public sealed record Args(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH = 1, int DilationW = 1,
        bool CeilMode = false, bool CountIncludePad = true, int? DivisorOverride = null);

    public static int OutputSize(int input, int kernel, int stride, int pad, int dilation, bool ceil)
    {
        int numerator = input + (2 * pad) - (dilation * (kernel - 1)) - 1 + (ceil ? stride - 1 : 0);
        int output = (int)Math.Floor(numerator / (double)stride) + 1;
        return ceil && (output - 1) * stride >= input + pad ? output - 1 : output;
    }

    /// <summary>Max pooling; returns the output and the flat (row * W + column) index of each maximum.</summary>
    public static (RefTensor Output, RefTensor Indices) MaxForward(RefTensor x, Args a)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = OutputSize(h, a.KernelH, a.StrideH, a.PadH, a.DilationH, a.CeilMode);
        int ow = OutputSize(w, a.KernelW, a.StrideW, a.PadW, a.DilationW, a.CeilMode);
        var y = new RefTensor(n, c, oh, ow);
        var idx = new RefTensor(n, c, oh, ow);
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        double best = double.NegativeInfinity;
                        int at = -1;
                        for (int u = 0; u < a.KernelH; u++)
                        {
                            int r = (i * a.StrideH) - a.PadH + (u * a.DilationH);
                            for (int v = 0; v < a.KernelW && r >= 0 && r < h; v++)
                            {
                                int col = (j * a.StrideW) - a.PadW + (v * a.DilationW);
                                if (col >= 0 && col < w && (x[b, ch, r, col] > best || at < 0))
                                {
                                    best = x[b, ch, r, col];
                                    at = (r * w) + col;
                                }
                            }
                        }

                        y[b, ch, i, j] = best;
                        idx[b, ch, i, j] = at;
                    }
                }
            }
        }

        return (y, idx);
    }

    /// <summary>The gradient of any max pooling, given its indices: each output gradient goes to its maximum.</summary>
    public static RefTensor MaxBackward(int[] inputShape, RefTensor indices, RefTensor gradOutput)
    {
        var grad = new RefTensor(inputShape);
        int plane = inputShape[2] * inputShape[3];
        int outPlane = indices.Shape[2] * indices.Shape[3];
        for (int k = 0; k < indices.Count; k++)
        {
            int planeIndex = k / outPlane;
            grad.Data[(planeIndex * plane) + (int)indices.Data[k]] += gradOutput.Data[k];
        }

        return grad;
    }

    public static RefTensor AvgForward(RefTensor x, Args a) => Average(x, a, null, out _);

    public static RefTensor AvgBackward(RefTensor x, Args a, RefTensor gradOutput)
    {
        Average(x, a, gradOutput, out RefTensor grad);
        return grad;
    }

    /// <summary>One walk over the windows serves forward and backward, so that both use the same divisor rule.</summary>
    private static RefTensor Average(RefTensor x, Args a, RefTensor? gradOutput, out RefTensor gradInput)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        int oh = OutputSize(h, a.KernelH, a.StrideH, a.PadH, 1, a.CeilMode);
        int ow = OutputSize(w, a.KernelW, a.StrideW, a.PadW, 1, a.CeilMode);
        var y = new RefTensor(n, c, oh, ow);
        gradInput = RefTensor.ZerosLike(x);
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < oh; i++)
                {
                    for (int j = 0; j < ow; j++)
                    {
                        // the window, clipped first to the padded input, then to the input itself
                        int r0 = (i * a.StrideH) - a.PadH, c0 = (j * a.StrideW) - a.PadW;
                        int r1 = Math.Min(r0 + a.KernelH, h + a.PadH), c1 = Math.Min(c0 + a.KernelW, w + a.PadW);
                        int paddedCount = (r1 - r0) * (c1 - c0);
                        r0 = Math.Max(r0, 0);
                        c0 = Math.Max(c0, 0);
                        r1 = Math.Min(r1, h);
                        c1 = Math.Min(c1, w);
                        int divisor = a.DivisorOverride ?? (a.CountIncludePad ? paddedCount : (r1 - r0) * (c1 - c0));
                        double sum = 0;
                        for (int r = r0; r < r1; r++)
                        {
                            for (int col = c0; col < c1; col++)
                            {
                                sum += x[b, ch, r, col];
                                if (gradOutput is not null)
                                {
                                    gradInput[b, ch, r, col] += gradOutput[b, ch, i, j] / divisor;
                                }
                            }
                        }

                        y[b, ch, i, j] = sum / divisor;
                    }
                }
            }
        }

        return y;
    }

    public static int AdaptiveStart(int i, int input, int output) => (int)Math.Floor(i * input / (double)output);

    public static int AdaptiveEnd(int i, int input, int output) => (int)Math.Ceiling((i + 1) * input / (double)output);

    public static (RefTensor Output, RefTensor Indices) AdaptiveMaxForward(RefTensor x, int oh, int ow) =>
        Adaptive(x, oh, ow, max: true, null, out _);

    public static RefTensor AdaptiveAvgForward(RefTensor x, int oh, int ow) => Adaptive(x, oh, ow, max: false, null, out _).Output;

    public static RefTensor AdaptiveAvgBackward(RefTensor x, int oh, int ow, RefTensor gradOutput)
    {
        Adaptive(x, oh, ow, max: false, gradOutput, out RefTensor grad);
        return grad;
    }

    private static (RefTensor Output, RefTensor Indices) Adaptive(RefTensor x, int oh, int ow, bool max, RefTensor? gradOutput, out RefTensor gradInput)
    {
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var y = new RefTensor(n, c, oh, ow);
        var idx = new RefTensor(n, c, oh, ow);
        gradInput = RefTensor.ZerosLike(x);
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < oh; i++)
                {
                    int r0 = AdaptiveStart(i, h, oh), r1 = AdaptiveEnd(i, h, oh);
                    for (int j = 0; j < ow; j++)
                    {
                        int c0 = AdaptiveStart(j, w, ow), c1 = AdaptiveEnd(j, w, ow);
                        int count = (r1 - r0) * (c1 - c0);
                        double acc = max ? double.NegativeInfinity : 0;
                        int at = -1;
                        for (int r = r0; r < r1; r++)
                        {
                            for (int col = c0; col < c1; col++)
                            {
                                double v = x[b, ch, r, col];
                                if (max)
                                {
                                    if (v > acc || at < 0)
                                    {
                                        acc = v;
                                        at = (r * w) + col;
                                    }
                                }
                                else
                                {
                                    acc += v;
                                    if (gradOutput is not null)
                                    {
                                        gradInput[b, ch, r, col] += gradOutput[b, ch, i, j] / count;
                                    }
                                }
                            }
                        }

                        y[b, ch, i, j] = max ? acc : acc / count;
                        idx[b, ch, i, j] = at;
                    }
                }
            }
        }

        return (y, idx);
    }
}

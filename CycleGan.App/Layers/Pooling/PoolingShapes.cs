namespace CycleGan.App.Layers;

/// <summary>PyTorch's pooling output size, and the check that a pooling leaves a non-empty output.</summary>
public static class PoolingShapes
{
    /// <summary>floor (or ceil) of (in + 2p - d(k-1) - 1) / s, plus 1; with ceil, a window starting in the right padding is dropped.</summary>
    public static long OutputSize(long input, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        long numerator = input + (2 * padding) - (dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        long output = (long)Math.Floor(numerator / (double)stride) + 1;
        if (ceilMode && (output - 1) * stride >= input + padding)
        {
            output--;
        }

        return output;
    }

    public static void Check(Tensor input, string layer, Size2 kernel, Size2 stride, Size2 padding, Size2 dilation, bool ceilMode)
    {
        long oh = OutputSize(input.shape[^2], kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        long ow = OutputSize(input.shape[^1], kernel.W, stride.W, padding.W, dilation.W, ceilMode);
        if (oh < 1 || ow < 1)
        {
            throw new ArgumentException(
                $"{layer}: input [{string.Join(", ", input.shape)}] is too small for kernel {kernel} (output would be {oh}x{ow})", nameof(input));
        }
    }
}

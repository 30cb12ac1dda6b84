namespace CycleGan.App.Layers;

/// <summary>The window arguments AvgPool2d and MaxPool2d share, checked the way libtorch checks them.</summary>
internal static class PoolingWindow
{
    /// <summary>stride defaults to the kernel size; padding may be at most half the kernel (libtorch compares it with
    /// the kernel itself, not the dilated window).</summary>
    public static (Size2 KernelSize, Size2 Stride, Size2 Padding) Check(Size2 kernel_size, Size2? stride, Size2? padding)
    {
        Size2 kernel = LayerArguments.Positive((kernel_size.H, kernel_size.W), nameof(kernel_size));
        Size2 step = LayerArguments.Positive(((stride ?? kernel_size).H, (stride ?? kernel_size).W), nameof(stride));
        Size2 pad = LayerArguments.NonNegative(((padding ?? 0).H, (padding ?? 0).W), nameof(padding));
        if (pad.H > kernel.H / 2 || pad.W > kernel.W / 2)
        {
            throw new ArgumentException($"padding {pad} must be at most half of kernel_size {kernel}", nameof(padding));
        }

        return (kernel, step, pad);
    }
}

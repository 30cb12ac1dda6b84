namespace CycleGan.App.Layers;

/// <summary>
/// AvgPool2d(kernel_size, stride = kernel_size, padding, ceil_mode, count_include_pad, divisor_override): the mean of
/// each window; with count_include_pad the zero padding counts in the divisor (but not the ceil_mode overhang);
/// divisor_override, when given, replaces the divisor.
/// </summary>
public sealed class AvgPool2d : nn.Module<Tensor, Tensor>
{
    public AvgPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, bool ceil_mode = false, bool count_include_pad = true, int? divisor_override = null)
        : base(nameof(AvgPool2d))
    {
        (KernelSize, Stride, Padding) = PoolingWindow.Check(kernel_size, stride, padding);
        if (divisor_override is <= 0)
        {
            throw new ArgumentException($"divisor_override must be positive, got {divisor_override}", nameof(divisor_override));
        }

        CeilMode = ceil_mode;
        CountIncludePad = count_include_pad;
        DivisorOverride = divisor_override;
    }

    public Size2 KernelSize { get; }

    public Size2 Stride { get; }

    public Size2 Padding { get; }

    public bool CeilMode { get; }

    public bool CountIncludePad { get; }

    public int? DivisorOverride { get; }

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(AvgPool2d), [3, 4]);
        PoolingShapes.Check(input, nameof(AvgPool2d), KernelSize, Stride, Padding, 1, CeilMode);
        return nn.functional.avg_pool2d(input, KernelSize.ToArray(), Stride.ToArray(), Padding.ToArray(), CeilMode, CountIncludePad, DivisorOverride);
    }
}

namespace CycleGan.App.Layers;

/// <summary>
/// AvgPool2d(kernel_size, stride = kernel_size, padding, ceil_mode, count_include_pad, divisor_override): the mean of
/// each window; with count_include_pad the zero padding counts in the divisor (but not the ceil_mode overhang);
/// divisor_override, when given, replaces the divisor.
/// </summary>
public sealed class AvgPool2d : Pool2d
{
    public AvgPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, bool ceil_mode = false, bool count_include_pad = true, int? divisor_override = null)
        : base(nameof(AvgPool2d), kernel_size, stride, padding, null, ceil_mode)
    {
        if (divisor_override is <= 0)
        {
            throw new ArgumentException($"divisor_override must be positive, got {divisor_override}", nameof(divisor_override));
        }

        CountIncludePad = count_include_pad;
        DivisorOverride = divisor_override;
    }

    public bool CountIncludePad { get; }

    public int? DivisorOverride { get; }

    public override Tensor forward(Tensor input)
    {
        CheckInput(input);
        return nn.functional.avg_pool2d(input, KernelSize.ToArray(), Stride.ToArray(), Padding.ToArray(), CeilMode, CountIncludePad, DivisorOverride);
    }
}

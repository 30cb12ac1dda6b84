namespace CycleGan.App.Layers;

/// <summary>
/// MaxPool2d(kernel_size, stride = kernel_size, padding, dilation, return_indices, ceil_mode). Padding counts as -inf
/// and may be at most half the kernel size (undilated, as libtorch checks); with ceil_mode a last window that would start in the right padding is
/// dropped. <see cref="ForwardWithIndices"/> also returns the flat index (row * width + column) of each maximum.
/// </summary>
public sealed class MaxPool2d : Pool2d
{
    public MaxPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool return_indices = false, bool ceil_mode = false)
        : base(nameof(MaxPool2d), kernel_size, stride, padding, dilation, ceil_mode)
    {
        ReturnIndices = return_indices;
    }

    public Size2 Dilation => WindowDilation;

    public bool ReturnIndices { get; }

    public override Tensor forward(Tensor input) => ForwardWithIndices(input).Output;

    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        CheckInput(input);
        var (output, indices) = nn.functional.max_pool2d_with_indices(input, KernelSize.ToArray(), Stride.ToArray(), Padding.ToArray(), Dilation.ToArray(), CeilMode);
        return (output, indices);
    }
}

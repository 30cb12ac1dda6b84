namespace CycleGan.App.Layers;

/// <summary>
/// MaxPool2d(kernel_size, stride = kernel_size, padding, dilation, return_indices, ceil_mode). Padding counts as -inf
/// and may be at most half the kernel size (undilated, as libtorch checks); with ceil_mode a last window that would start in the right padding is
/// dropped. <see cref="ForwardWithIndices"/> also returns the flat index (row * width + column) of each maximum.
/// </summary>
public sealed class MaxPool2d : nn.Module<Tensor, Tensor>
{
    public MaxPool2d(Size2 kernel_size, Size2? stride = null, Size2? padding = null, Size2? dilation = null, bool return_indices = false, bool ceil_mode = false)
        : base(nameof(MaxPool2d))
    {
        (KernelSize, Stride, Padding) = PoolingWindow.Check(kernel_size, stride, padding);
        Dilation = LayerArguments.Positive(((dilation ?? 1).H, (dilation ?? 1).W), nameof(dilation));
        ReturnIndices = return_indices;
        CeilMode = ceil_mode;
    }

    public Size2 KernelSize { get; }

    public Size2 Stride { get; }

    public Size2 Padding { get; }

    public Size2 Dilation { get; }

    public bool ReturnIndices { get; }

    public bool CeilMode { get; }

    public override Tensor forward(Tensor input) => ForwardWithIndices(input).Output;

    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        LayerArguments.Input(input, nameof(MaxPool2d), [3, 4]);
        PoolingShapes.Check(input, nameof(MaxPool2d), KernelSize, Stride, Padding, Dilation, CeilMode);
        var (output, indices) = nn.functional.max_pool2d_with_indices(input, KernelSize.ToArray(), Stride.ToArray(), Padding.ToArray(), Dilation.ToArray(), CeilMode);
        return (output, indices);
    }
}

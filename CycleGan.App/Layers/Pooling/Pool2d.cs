namespace CycleGan.App.Layers;

/// <summary>What AvgPool2d and MaxPool2d share: the window (stride defaults to the kernel size, padding at most half
/// the kernel) checked the way libtorch checks it, ceil_mode, and forward's input checks.</summary>
public abstract class Pool2d : nn.Module<Tensor, Tensor>
{
    private readonly string layer;

    protected Pool2d(string name, Size2 kernel_size, Size2? stride, Size2? padding, Size2? dilation, bool ceil_mode)
        : base(name)
    {
        layer = name;
        KernelSize = LayerArguments.Positive((kernel_size.H, kernel_size.W), nameof(kernel_size));
        Stride = LayerArguments.Positive(((stride ?? kernel_size).H, (stride ?? kernel_size).W), nameof(stride));
        Padding = LayerArguments.NonNegative(((padding ?? 0).H, (padding ?? 0).W), nameof(padding));
        WindowDilation = LayerArguments.Positive(((dilation ?? 1).H, (dilation ?? 1).W), nameof(dilation));
        // libtorch compares the padding with half the kernel itself, not the dilated window
        if (Padding.H > KernelSize.H / 2 || Padding.W > KernelSize.W / 2)
        {
            throw new ArgumentException($"padding {Padding} must be at most half of kernel_size {KernelSize}", nameof(padding));
        }

        CeilMode = ceil_mode;
    }

    public Size2 KernelSize { get; }

    public Size2 Stride { get; }

    public Size2 Padding { get; }

    public bool CeilMode { get; }

    /// <summary>1 for AvgPool2d, which has no dilation.</summary>
    protected Size2 WindowDilation { get; }

    /// <summary>Refuses an input of the wrong rank, or one too small for the window, naming the layer.</summary>
    protected void CheckInput(Tensor input)
    {
        LayerArguments.Input(input, layer, [3, 4]);
        PoolingShapes.Check(input, layer, KernelSize, Stride, Padding, WindowDilation, CeilMode);
    }
}

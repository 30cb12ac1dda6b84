using TorchSharp.Modules;

namespace CycleGan.App.Layers;

/// <summary>
/// Conv2d with PyTorch's whole parameter surface: stride, padding (amounts, "same", "valid"), dilation, groups, bias
/// and padding_mode zeros/reflect/replicate/circular. Weight (out, in/groups, kh, kw), initialised as PyTorch does
/// (uniform in +-1/sqrt(fan_in), the kaiming_uniform(a = sqrt 5) bound), and so is the bias.
/// </summary>
public sealed class Conv2d : Convolution2d
{
#pragma warning disable IDE1006, SA1300, CA1051 // PyTorch's names, so state-dict keys line up
    public Parameter weight;
    public Parameter? bias;
#pragma warning restore IDE1006, SA1300, CA1051

    public Conv2d(int in_channels, int out_channels, Size2 kernel_size, Size2? stride = null, ConvPadding? padding = null,
        Size2? dilation = null, int groups = 1, bool bias = true, string padding_mode = "zeros")
        : base(nameof(Conv2d), in_channels, out_channels, groups)
    {
        (KernelSize, Stride, Dilation) = ConvolutionParameters.CheckWindow(kernel_size, stride, dilation);
        Padding = padding ?? 0;
        PaddingMode = PaddingModeNames.Check(padding_mode);
        if (Padding.Mode is null)
        {
            LayerArguments.NonNegative((Padding.H, Padding.W), nameof(padding));
        }
        else if (Padding.IsSame && (Stride.H != 1 || Stride.W != 1))
        {
            throw new ArgumentException("padding='same' is not supported for strided convolutions (stride must be 1)", nameof(padding));
        }

        (PadTop, PadBottom) = Amounts(Padding, Padding.H, KernelSize.H, Dilation.H);
        (PadLeft, PadRight) = Amounts(Padding, Padding.W, KernelSize.W, Dilation.W);

        (this.weight, this.bias) = ConvolutionParameters.Create(
            [out_channels, in_channels / groups, KernelSize.H, KernelSize.W], in_channels / groups * KernelSize.H * KernelSize.W, out_channels, bias);

        RegisterComponents();
    }

    public ConvPadding Padding { get; }

    public string PaddingMode { get; }

    /// <summary>The padding actually applied on each side ("same" puts an odd extra on the bottom/right, as PyTorch).</summary>
    public int PadTop { get; }

    public int PadBottom { get; }

    public int PadLeft { get; }

    public int PadRight { get; }

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(Conv2d), [3, 4], InChannels);
        long h = input.shape[^2] + PadTop + PadBottom, w = input.shape[^1] + PadLeft + PadRight;
        if (h < (Dilation.H * (KernelSize.H - 1)) + 1 || w < (Dilation.W * (KernelSize.W - 1)) + 1)
        {
            throw new ArgumentException(
                $"Conv2d: input [{string.Join(", ", input.shape)}] padded to {h}x{w} is smaller than the dilated kernel", nameof(input));
        }

        bool symmetric = PadTop == PadBottom && PadLeft == PadRight;
        if (PaddingMode == "zeros" && symmetric)
        {
            return ConvolutionLayout.Conv2d(input, weight, bias, Stride.ToArray(), [PadTop, PadLeft], Dilation.ToArray(), Groups, precision: Precision);
        }

        Tensor padded = PaddingModeNames.Pad(input, PadLeft, PadRight, PadTop, PadBottom, PaddingMode);
        return ConvolutionLayout.Conv2d(padded, weight, bias, Stride.ToArray(), [0, 0], Dilation.ToArray(), Groups, precision: Precision);
    }

    private static (int Before, int After) Amounts(ConvPadding padding, int amount, int kernel, int dilation)
    {
        if (!padding.IsSame)
        {
            return (amount, amount);
        }

        int total = dilation * (kernel - 1);
        return (total / 2, total - (total / 2));
    }
}

using TorchSharp.Modules;

namespace CycleGan.App.Layers;

/// <summary>
/// ConvTranspose2d: stride, padding, output_padding, groups, bias, dilation (padding_mode zeros only, as PyTorch).
/// Weight (in, out/groups, kh, kw); output side (H-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1.
/// Initialised as PyTorch: uniform in +-1/sqrt(fan_in) where fan_in counts weight.size(1) * kh * kw.
/// </summary>
public sealed class ConvTranspose2d : Convolution2d
{
#pragma warning disable IDE1006, SA1300, CA1051 // PyTorch's names, so state-dict keys line up
    public Parameter weight;
    public Parameter? bias;
#pragma warning restore IDE1006, SA1300, CA1051

    public ConvTranspose2d(int in_channels, int out_channels, Size2 kernel_size, Size2? stride = null, Size2? padding = null,
        Size2? output_padding = null, int groups = 1, bool bias = true, Size2? dilation = null, string padding_mode = "zeros")
        : base(nameof(ConvTranspose2d), in_channels, out_channels, groups)
    {
        if (padding_mode != "zeros")
        {
            throw new ArgumentException($"ConvTranspose2d supports only padding_mode 'zeros', got '{padding_mode}'", nameof(padding_mode));
        }

        (KernelSize, Stride, Dilation) = ConvolutionParameters.CheckWindow(kernel_size, stride, dilation);
        Padding = LayerArguments.NonNegative(((padding ?? 0).H, (padding ?? 0).W), nameof(padding));
        OutputPadding = LayerArguments.NonNegative(((output_padding ?? 0).H, (output_padding ?? 0).W), nameof(output_padding));
        if ((OutputPadding.H >= Stride.H && OutputPadding.H >= Dilation.H) || (OutputPadding.W >= Stride.W && OutputPadding.W >= Dilation.W))
        {
            throw new ArgumentException(
                $"output_padding {OutputPadding} must be smaller than either stride {Stride} or dilation {Dilation}", nameof(output_padding));
        }

        // PyTorch counts fan_in from the weight's second dimension, out_channels / groups, for transposed convolutions
        (this.weight, this.bias) = ConvolutionParameters.Create(
            [in_channels, out_channels / groups, KernelSize.H, KernelSize.W], out_channels / groups * KernelSize.H * KernelSize.W, out_channels, bias);

        RegisterComponents();
    }

    public Size2 Padding { get; }

    public Size2 OutputPadding { get; }

    public long OutputSide(long input, bool height) => height
        ? ((input - 1) * Stride.H) - (2 * Padding.H) + (Dilation.H * (KernelSize.H - 1)) + OutputPadding.H + 1
        : ((input - 1) * Stride.W) - (2 * Padding.W) + (Dilation.W * (KernelSize.W - 1)) + OutputPadding.W + 1;

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(ConvTranspose2d), [3, 4], InChannels);
        long oh = OutputSide(input.shape[^2], true), ow = OutputSide(input.shape[^1], false);
        if (oh < 1 || ow < 1)
        {
            throw new ArgumentException($"ConvTranspose2d: input [{string.Join(", ", input.shape)}] gives an empty output ({oh}x{ow})", nameof(input));
        }

        return ConvolutionLayout.ConvTranspose2d(input, weight, bias, Stride.ToArray(), Padding.ToArray(), OutputPadding.ToArray(), Dilation.ToArray(), Groups, precision: Precision);
    }
}

using TorchSharp.Modules;

namespace CycleGan.App.Layers;

/// <summary>Checks and initialisation that Conv2d and ConvTranspose2d share.</summary>
internal static class ConvolutionParameters
{
    public static (int InChannels, int OutChannels, int Groups) CheckChannels(int in_channels, int out_channels, int groups)
    {
        LayerArguments.Positive(in_channels, nameof(in_channels));
        LayerArguments.Positive(out_channels, nameof(out_channels));
        LayerArguments.Positive(groups, nameof(groups));
        CheckGroups(in_channels, out_channels, groups);
        return (in_channels, out_channels, groups);
    }

    /// <summary>stride and dilation default to 1.</summary>
    public static (Size2 KernelSize, Size2 Stride, Size2 Dilation) CheckWindow(Size2 kernel_size, Size2? stride, Size2? dilation) =>
        (LayerArguments.Positive((kernel_size.H, kernel_size.W), nameof(kernel_size)),
         LayerArguments.Positive(((stride ?? 1).H, (stride ?? 1).W), nameof(stride)),
         LayerArguments.Positive(((dilation ?? 1).H, (dilation ?? 1).W), nameof(dilation)));

    private static void CheckGroups(int inChannels, int outChannels, int groups)
    {
        if (inChannels % groups != 0)
        {
            throw new ArgumentException($"in_channels {inChannels} is not divisible by groups {groups}", "in_channels");
        }

        if (outChannels % groups != 0)
        {
            throw new ArgumentException($"out_channels {outChannels} is not divisible by groups {groups}", "out_channels");
        }
    }

    /// <summary>PyTorch's default: weight and bias uniform in +-1/sqrt(fan_in) (kaiming_uniform with a = sqrt 5).</summary>
    public static (Parameter Weight, Parameter? Bias) Create(long[] weightShape, long fanIn, long biasSize, bool bias)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        var weight = new Parameter(torch.empty(weightShape));
        Parameter? b = bias ? new Parameter(torch.empty(biasSize)) : null;
        using (torch.no_grad())
        {
            nn.init.uniform_(weight, -bound, bound);
            if (b is not null)
            {
                nn.init.uniform_(b, -bound, bound);
            }
        }

        return (weight, b);
    }
}

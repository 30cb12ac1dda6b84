using TorchSharp.Modules;

namespace CycleGan.App.Layers;

/// <summary>Checks and initialisation that Conv2d and ConvTranspose2d share.</summary>
internal static class ConvolutionParameters
{
    public static void CheckGroups(int inChannels, int outChannels, int groups)
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

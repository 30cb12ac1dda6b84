namespace CycleGan.App.Layers;

/// <summary>What Conv2d and ConvTranspose2d share: checked channel counts and groups, the window each derived
/// constructor checks in its own order (<see cref="ConvolutionParameters.CheckWindow"/>), and the compute precision.</summary>
public abstract class Convolution2d : nn.Module<Tensor, Tensor>
{
    protected Convolution2d(string name, int in_channels, int out_channels, int groups)
        : base(name)
    {
        (InChannels, OutChannels, Groups) = ConvolutionParameters.CheckChannels(in_channels, out_channels, groups);
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public int Groups { get; }

    public Size2 KernelSize { get; protected init; }

    public Size2 Stride { get; protected init; }

    public Size2 Dilation { get; protected init; }

    /// <summary>The number format the convolution computes float32 inputs in (set per network, <see cref="ConvolutionPrecisions.WithConvolutionPrecision"/>).</summary>
    public ConvolutionPrecision Precision { get; set; }
}

using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.App.Layers;

/// <summary>
/// How Conv2d and ConvTranspose2d hand float32 CPU work to libtorch. On some CPUs oneDNN's kernels for plain (NCHW)
/// float32 tensors compute backward-data (Conv2d's input gradient, ConvTranspose2d's forward) wrongly, while the
/// kernels it picks for channels-last (NHWC) tensors are right and as fast. With <see cref="CpuChannelsLast"/> set
/// (by the start-up self-check, never by assumption) every such convolution runs on channels-last copies of its
/// input and weight: the parameters themselves stay NCHW, so state dicts, checkpoints and optimiser states keep
/// their layout, and autograd carries the gradients back through the copies. Float64, CUDA and the other layers are
/// untouched.
/// </summary>
/// <remarks>
/// Two shapes need more than a copy, both found by verify-layers on the channels-last path. A tensor with one channel
/// is NCHW and channels-last at once, and libtorch then takes the NCHW kernels: a one-channel input (grayscale
/// images) gets a second, zero channel, with zero weights, which changes no result, and a transposed convolution
/// with one output channel computes a second, zero one that is dropped. Grouped convolutions were wrong
/// on oneDNN's channels-last kernels too: they run as one convolution per group. An unbatched input gets its batch
/// dimension here, not in libtorch, which would add it as NCHW.
/// </remarks>
public static class ConvolutionLayout
{
    private static volatile bool cpuChannelsLast;

    /// <summary>Whether float32 CPU convolutions run channels-last; process-wide, set once at start-up.</summary>
    public static bool CpuChannelsLast
    {
        get => cpuChannelsLast;
        set => cpuChannelsLast = value;
    }

    /// <summary>A tensor with the same values and shape, laid out channels-last; free when it already is.</summary>
    public static Tensor ToChannelsLast(Tensor t) => t.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>nn.functional.conv2d, channels-last where the switch (or <paramref name="channelsLast"/>) says so.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] dilation, long groups, bool? channelsLast = null)
    {
        if (!Applies(input, channelsLast))
        {
            return nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
        }

        if (input.dim() == 3)
        {
            return Conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups, true).squeeze(0);
        }

        if (groups > 1)
        {
            return PerGroup(input, weight, bias, groups, (x, w, b) => Conv2d(x, w, b, stride, padding, dilation, 1, true));
        }

        (input, weight) = input.shape[1] == 1 ? (WithZeroChannel(input, 1), WithZeroChannel(weight, 1)) : (input, weight);
        return nn.functional.conv2d(ToChannelsLast(input), ToChannelsLast(weight), bias, stride, padding, dilation, 1);
    }

    /// <summary>nn.functional.conv_transpose2d, channels-last where the switch (or <paramref name="channelsLast"/>) says so.</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias, long[] stride, long[] padding, long[] outputPadding, long[] dilation,
        long groups, bool? channelsLast = null)
    {
        if (!Applies(input, channelsLast))
        {
            return nn.functional.conv_transpose2d(input, weight, bias, stride, padding, outputPadding, dilation, groups);
        }

        if (input.dim() == 3)
        {
            return ConvTranspose2d(input.unsqueeze(0), weight, bias, stride, padding, outputPadding, dilation, groups, true).squeeze(0);
        }

        if (groups > 1)
        {
            return PerGroup(input, weight, bias, groups,
                (x, w, b) => ConvTranspose2d(x, w, b, stride, padding, outputPadding, dilation, 1, true));
        }

        (input, weight) = input.shape[1] == 1 ? (WithZeroChannel(input, 1), WithZeroChannel(weight, 0)) : (input, weight);
        if (weight.shape[1] == 1)
        {
            // its forward is a backward-data computation whose result would have one channel: compute two, keep one
            Tensor two = nn.functional.conv_transpose2d(ToChannelsLast(input), ToChannelsLast(WithZeroChannel(weight, 1)),
                bias is null ? null : WithZeroChannel(bias, 0), stride, padding, outputPadding, dilation, 1);
            return two.narrow(1, 0, 1);
        }

        return nn.functional.conv_transpose2d(ToChannelsLast(input), ToChannelsLast(weight), bias, stride, padding, outputPadding, dilation, 1);
    }

    private static bool Applies(Tensor input, bool? channelsLast) =>
        (channelsLast ?? CpuChannelsLast) && input.device_type == DeviceType.CPU && input.dtype == ScalarType.Float32;

    private static Tensor WithZeroChannel(Tensor t, long dim) => torch.cat([t, torch.zeros_like(t.narrow(dim, 0, 1))], dim);

    /// <summary>
    /// A grouped convolution as one convolution per group: the input's channels and the weight's group dimension (the
    /// first, for both Conv2d's (out, in/g, ...) and ConvTranspose2d's (in, out/g, ...)) split alike, outputs concatenated.
    /// </summary>
    private static Tensor PerGroup(Tensor input, Tensor weight, Tensor? bias, long groups, Func<Tensor, Tensor, Tensor?, Tensor> convolution)
    {
        Tensor[] inputs = input.chunk(groups, 1);
        Tensor[] weights = weight.chunk(groups, 0);
        Tensor[]? biases = bias?.chunk(groups, 0);
        var outputs = new Tensor[groups];
        for (int g = 0; g < groups; g++)
        {
            outputs[g] = convolution(inputs[g], weights[g], biases?[g]);
        }

        return torch.cat(outputs, 1);
    }
}


namespace CycleGan.App.Layers;

/// <summary>
/// InstanceNorm2d(num_features, eps, momentum, affine = false, track_running_stats = false): each sample's channel is
/// normalised by its own mean and (biased) variance. With track_running_stats the running statistics (the batch mean
/// of the per-instance statistics, unbiased variance) are updated in training and used in eval. Accepts NCHW and CHW.
/// Unlike PyTorch, which only warns, a channel count different from num_features is refused.
/// </summary>
/// <remarks>
/// Computed from reductions and element-wise operations rather than libtorch's instance_norm, whose backward is wrong
/// (CPU, any precision, batch 1) when the gradient arriving at its output is channels-last, which it is whenever the
/// next convolution runs channels-last (see <see cref="ConvolutionLayout"/>). These operations are right in every layout.
/// </remarks>
public sealed class InstanceNorm2d(int num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool track_running_stats = false)
    : NormLayer2d(nameof(InstanceNorm2d), num_features, eps, momentum, affine, track_running_stats)
{
    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(InstanceNorm2d), [3, 4], NumFeatures);
        if (input.shape[^1] * input.shape[^2] < 2 && (training || running_mean is null))
        {
            throw new ArgumentException(
                $"InstanceNorm2d needs more than one spatial element per channel, got input [{string.Join(", ", input.shape)}]", nameof(input));
        }

        bool unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor y = training || running_mean is null ? NormaliseByInstance(x) : (x - PerChannel(running_mean)) * PerChannel(running_var!).Plus(Scalars.Of(Eps)).rsqrt();
        if (weight is not null)
        {
            // intermediates freed at once, not at the end of the caller's dispose scope (see Models/Sequence.cs)
            using Tensor normalised = y, scaled = normalised * PerChannel(weight);
            y = scaled.Plus(PerChannel(bias!));
        }

        return unbatched ? y.squeeze(0) : y;
    }

    private Tensor NormaliseByInstance(Tensor x)
    {
        var (variance, mean) = torch.var_mean(x, [2, 3], unbiased: false, keepdim: true);
        if (training && running_mean is not null)
        {
            UpdateRunningStatistics(mean, variance, x.shape[2] * x.shape[3]);
        }

        using Tensor centred = x - mean, scale = variance.Plus(Scalars.Of(Eps)).rsqrt();
        return centred * scale;
    }

    /// <summary>
    /// PyTorch's rule: the running statistics move towards the batch average of the per-instance mean and unbiased
    /// variance; momentum None is passed on as 0, so they then stay as they are.
    /// </summary>
    private void UpdateRunningStatistics(Tensor mean, Tensor variance, long count)
    {
        double m = Momentum ?? 0.0;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        Tensor batchMean = mean.detach().mean([0, 2, 3]).to(running_mean!.dtype);
        Tensor batchVariance = (variance.detach() * Scalars.Of(count / (double)(count - 1))).mean([0, 2, 3]).to(running_var!.dtype);
        running_mean.mul_(Scalars.Of(1 - m)).add_(batchMean, Scalars.Of(m));
        running_var.mul_(Scalars.Of(1 - m)).add_(batchVariance, Scalars.Of(m));
    }

    private static Tensor PerChannel(Tensor t) => t.view(1, -1, 1, 1);
}

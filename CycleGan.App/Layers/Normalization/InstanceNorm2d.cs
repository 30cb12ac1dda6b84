
namespace CycleGan.App.Layers;

/// <summary>
/// InstanceNorm2d(num_features, eps, momentum, affine = false, track_running_stats = false): each sample's channel is
/// normalised by its own mean and (biased) variance. With track_running_stats the running statistics (the batch mean
/// of the per-instance statistics, unbiased variance) are updated in training and used in eval. Accepts NCHW and CHW.
/// Unlike PyTorch, which only warns, a channel count different from num_features is refused.
/// </summary>
/// <remarks>
/// Each sample is batch-normalised as a batch of one: a one-sample batch's per-channel statistics are the instance's,
/// and libtorch's batch_norm keeps the input's layout and is right forward and backward in the layouts the catalogue checks. libtorch's
/// own instance_norm is not used: it copies the input to NCHW (so a channels-last convolution next pays a copy back) and
/// its backward is wrong (CPU, any precision, batch 1) when the gradient arriving is channels-last, which it is whenever
/// the next convolution runs channels-last (see <see cref="ConvolutionLayout"/>). Batch-normalising the samples costs a
/// fifth to a sixth of normalising them with reductions and element-wise operations, forward and backward, in a 256x256
/// training step (`bench-profile`, BENCHMARKS.md).
/// </remarks>
public sealed class InstanceNorm2d(int num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool track_running_stats = false)
    : NormLayer2d(nameof(InstanceNorm2d), num_features, eps, momentum, affine, track_running_stats)
{
    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(InstanceNorm2d), [3, 4], NumFeatures);
        bool byInstance = training || running_mean is null;
        if (input.shape[^1] * input.shape[^2] < 2 && byInstance)
        {
            throw new ArgumentException(
                $"InstanceNorm2d needs more than one spatial element per channel, got input [{string.Join(", ", input.shape)}]", nameof(input));
        }

        bool unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor y = byInstance
            ? NormaliseByInstance(x)
            : nn.functional.batch_norm(x, running_mean, running_var, weight, bias, training: false, eps: Eps);
        return unbatched ? y.squeeze(0) : y;
    }

    private Tensor NormaliseByInstance(Tensor x)
    {
        if (training && running_mean is not null)
        {
            UpdateRunningStatistics(x);
        }

        if (x.shape[0] == 1)
        {
            return Normalise(x);
        }

        // the per-sample pieces are freed as soon as they are joined, not at the end of the caller's dispose scope
        Tensor[] samples = x.split(1, 0), normalised = samples.Select(Normalise).ToArray();
        try
        {
            return torch.cat(normalised, 0);
        }
        finally
        {
            Array.ForEach(samples, t => t.Dispose());
            Array.ForEach(normalised, t => t.Dispose());
        }
    }

    private Tensor Normalise(Tensor sample) => nn.functional.batch_norm(sample, null, null, weight, bias, training: true, eps: Eps);

    /// <summary>
    /// PyTorch's rule: the running statistics move towards the batch average of the per-instance mean and unbiased
    /// variance; momentum None is passed on as 0, so they then stay as they are.
    /// </summary>
    private void UpdateRunningStatistics(Tensor x)
    {
        double m = Momentum ?? 0.0;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var (variance, mean) = torch.var_mean(x, [2, 3], unbiased: true, keepdim: false);
        running_mean!.mul_(Scalars.Of(1 - m)).add_(mean.mean([0]).to(running_mean.dtype), Scalars.Of(m));
        running_var!.mul_(Scalars.Of(1 - m)).add_(variance.mean([0]).to(running_var.dtype), Scalars.Of(m));
    }
}

namespace CycleGan.App.Layers;

/// <summary>
/// BatchNorm2d(num_features, eps, momentum (null: cumulative average), affine, track_running_stats). In training the
/// batch statistics normalise and the running ones are updated with the unbiased variance; in eval the running ones
/// normalise (batch statistics without tracking). Parameters weight/bias and buffers running_mean, running_var,
/// num_batches_tracked carry PyTorch's names.
/// </summary>
public sealed class BatchNorm2d(int num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true)
    : NormLayer2d(nameof(BatchNorm2d), num_features, eps, momentum, affine, track_running_stats)
{
    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(BatchNorm2d), [4], NumFeatures);
        double factor = 0;
        if (training && num_batches_tracked is not null)
        {
            using (torch.no_grad())
            {
                num_batches_tracked.PlusInPlace(Scalars.One);
            }

            factor = Momentum ?? (1.0 / num_batches_tracked.item<long>());
        }

        bool useBatchStats = training || running_mean is null;
        if (useBatchStats && input.shape[0] * input.shape[2] * input.shape[3] < 2)
        {
            throw new ArgumentException(
                $"BatchNorm2d needs more than one value per channel in training, got input [{string.Join(", ", input.shape)}]", nameof(input));
        }

        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, factor, Eps);
    }
}

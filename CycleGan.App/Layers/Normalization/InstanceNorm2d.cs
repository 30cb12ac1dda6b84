using TorchSharp;
using static TorchSharp.torch;

namespace CycleGan.App.Layers;

/// <summary>
/// InstanceNorm2d(num_features, eps, momentum, affine = false, track_running_stats = false): each sample's channel is
/// normalised by its own mean and (biased) variance. With track_running_stats the running statistics (the batch mean
/// of the per-instance statistics, unbiased variance) are updated in training and used in eval. Accepts NCHW and CHW.
/// Unlike PyTorch, which only warns, a channel count different from num_features is refused.
/// </summary>
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
        // PyTorch passes momentum None on as 0 for instance norm: the running statistics then stay as they are
        Tensor y = nn.functional.instance_norm(x, running_mean, running_var, weight, bias, training || running_mean is null, Momentum ?? 0.0, Eps);
        return unbatched ? y.squeeze(0) : y;
    }
}

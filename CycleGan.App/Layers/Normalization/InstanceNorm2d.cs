using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CycleGan.App.Layers;

/// <summary>
/// InstanceNorm2d(num_features, eps, momentum, affine = false, track_running_stats = false): each sample's channel is
/// normalised by its own mean and (biased) variance. With track_running_stats the running statistics (the batch mean
/// of the per-instance statistics, unbiased variance) are updated in training and used in eval. Accepts NCHW and CHW.
/// Unlike PyTorch, which only warns, a channel count different from num_features is refused.
/// </summary>
public sealed class InstanceNorm2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051 // PyTorch's names, so state-dict keys line up
    public Parameter? weight;
    public Parameter? bias;
    public Tensor? running_mean;
    public Tensor? running_var;
    public Tensor? num_batches_tracked;
#pragma warning restore IDE1006, SA1300, CA1051

    public InstanceNorm2d(int num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = false, bool track_running_stats = false)
        : base(nameof(InstanceNorm2d))
    {
        NumFeatures = LayerArguments.Positive(num_features, nameof(num_features));
        Eps = eps > 0 && double.IsFinite(eps) ? eps : throw new ArgumentException($"eps must be positive, got {eps}", nameof(eps));
        if (momentum is double m && !(m >= 0 && m <= 1))
        {
            throw new ArgumentException($"momentum must be in [0, 1] or None, got {m}", nameof(momentum));
        }

        Momentum = momentum;
        if (affine)
        {
            weight = new Parameter(torch.ones(num_features));
            bias = new Parameter(torch.zeros(num_features));
            register_parameter(nameof(weight), weight);
            register_parameter(nameof(bias), bias);
        }

        if (track_running_stats)
        {
            running_mean = torch.zeros(num_features);
            running_var = torch.ones(num_features);
            num_batches_tracked = torch.zeros(1, ScalarType.Int64).squeeze();
            register_buffer(nameof(running_mean), running_mean);
            register_buffer(nameof(running_var), running_var);
            register_buffer(nameof(num_batches_tracked), num_batches_tracked);
        }
    }

    public int NumFeatures { get; }

    public double Eps { get; }

    public double? Momentum { get; }

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

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CycleGan.App.Layers;

/// <summary>
/// BatchNorm2d(num_features, eps, momentum (null: cumulative average), affine, track_running_stats). In training the
/// batch statistics normalise and the running ones are updated with the unbiased variance; in eval the running ones
/// normalise (batch statistics without tracking). Parameters weight/bias and buffers running_mean, running_var,
/// num_batches_tracked carry PyTorch's names.
/// </summary>
public sealed class BatchNorm2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051 // PyTorch's names, so state-dict keys line up
    public Parameter? weight;
    public Parameter? bias;
    public Tensor? running_mean;
    public Tensor? running_var;
    public Tensor? num_batches_tracked;
#pragma warning restore IDE1006, SA1300, CA1051

    public BatchNorm2d(int num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true)
        : base(nameof(BatchNorm2d))
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
        LayerArguments.Input(input, nameof(BatchNorm2d), [4], NumFeatures);
        double factor = 0;
        if (training && num_batches_tracked is not null)
        {
            using (torch.no_grad())
            {
                num_batches_tracked.add_(1);
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

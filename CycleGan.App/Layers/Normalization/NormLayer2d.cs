using TorchSharp.Modules;

namespace CycleGan.App.Layers;

/// <summary>
/// What BatchNorm2d and InstanceNorm2d share: num_features, eps, momentum (null allowed), the affine parameters
/// weight/bias and the buffers running_mean, running_var, num_batches_tracked, all under PyTorch's names.
/// </summary>
public abstract class NormLayer2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051 // PyTorch's names, so state-dict keys line up
    public Parameter? weight;
    public Parameter? bias;
    public Tensor? running_mean;
    public Tensor? running_var;
    public Tensor? num_batches_tracked;
#pragma warning restore IDE1006, SA1300, CA1051

    protected NormLayer2d(string name, int num_features, double eps, double? momentum, bool affine, bool track_running_stats)
        : base(name)
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
}

using TorchSharp.Modules;

namespace CycleGan.App.Layers;

/// <summary>Linear(in_features, out_features, bias): y = x W^T + b over the last dimension; W (out, in), b (out).</summary>
public sealed class Linear : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006, SA1300, CA1051 // PyTorch's names, so state-dict keys line up
    public Parameter weight;
    public Parameter? bias;
#pragma warning restore IDE1006, SA1300, CA1051

    public Linear(int in_features, int out_features, bool bias = true)
        : base(nameof(Linear))
    {
        InFeatures = LayerArguments.Positive(in_features, nameof(in_features));
        OutFeatures = LayerArguments.Positive(out_features, nameof(out_features));
        double bound = 1 / Math.Sqrt(in_features);
        this.weight = new Parameter(torch.empty(out_features, in_features));
        this.bias = bias ? new Parameter(torch.empty(out_features)) : null;
        using (torch.no_grad())
        {
            nn.init.uniform_(this.weight, -bound, bound);
            if (this.bias is not null)
            {
                nn.init.uniform_(this.bias, -bound, bound);
            }
        }

        RegisterComponents();
    }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() < 1 || input.shape[^1] != InFeatures)
        {
            throw new ArgumentException(
                $"Linear expects {InFeatures} features in the last dimension, got shape [{string.Join(", ", input.shape)}]", nameof(input));
        }

        return nn.functional.linear(input, weight, bias);
    }
}

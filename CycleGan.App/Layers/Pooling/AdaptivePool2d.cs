namespace CycleGan.App.Layers;

/// <summary>Output size of the adaptive pools: each side an int, or null (PyTorch's None) to keep the input's.</summary>
public readonly record struct AdaptiveSize(int? H, int? W)
{
    public static implicit operator AdaptiveSize(int both) => new(both, both);

    public static implicit operator AdaptiveSize((int? H, int? W) pair) => new(pair.H, pair.W);

    public long[] Resolve(Tensor input) => [H ?? input.shape[^2], W ?? input.shape[^1]];

    public AdaptiveSize Checked(string paramName) =>
        H is <= 0 || W is <= 0 ? throw new ArgumentException($"output_size must be positive or None, got {this}", paramName) : this;

    public override string ToString() => $"({H?.ToString() ?? "None"}, {W?.ToString() ?? "None"})";
}

/// <summary>AdaptiveAvgPool2d(output_size): the mean over windows [floor(i*In/Out), ceil((i+1)*In/Out)).</summary>
public sealed class AdaptiveAvgPool2d(AdaptiveSize output_size) : nn.Module<Tensor, Tensor>(nameof(AdaptiveAvgPool2d))
{
    public AdaptiveSize OutputSize { get; } = output_size.Checked(nameof(output_size));

    public override Tensor forward(Tensor input)
    {
        LayerArguments.Input(input, nameof(AdaptiveAvgPool2d), [3, 4]);
        return nn.functional.adaptive_avg_pool2d(input, OutputSize.Resolve(input));
    }
}

/// <summary>AdaptiveMaxPool2d(output_size, return_indices): the maximum over the adaptive windows.</summary>
public sealed class AdaptiveMaxPool2d(AdaptiveSize output_size, bool return_indices = false) : nn.Module<Tensor, Tensor>(nameof(AdaptiveMaxPool2d))
{
    public AdaptiveSize OutputSize { get; } = output_size.Checked(nameof(output_size));

    public bool ReturnIndices { get; } = return_indices;

    public override Tensor forward(Tensor input) => ForwardWithIndices(input).Output;

    public (Tensor Output, Tensor Indices) ForwardWithIndices(Tensor input)
    {
        LayerArguments.Input(input, nameof(AdaptiveMaxPool2d), [3, 4]);
        var (output, indices) = nn.functional.adaptive_max_pool2d_with_indices(input, OutputSize.Resolve(input));
        return (output, indices);
    }
}
